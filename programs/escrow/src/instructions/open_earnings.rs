//! `open_earnings`: a supplier's earnings account for one mint (anyone may pay its rent, for
//! example a cluster operator for its members, or the admin for the treasury).

use crate::events::EarningsOpened;
use crate::state::{Earnings, EARNINGS_SEED};
use sdk::cpi::{system, Seed, Signer};
use sdk::cpi::system::NewAccount;
use sdk::event::{Discriminator, Event};
use sdk::pda::{canonical_bump, PdaSeeds};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Creates the earnings account of `owner` for `mint` (zero for SOL).
    open_earnings {
        accounts {
            payer: [writable signer],
            /// PDA ["earnings", owner, mint].
            earnings: [writable],
            system_program: [address(system::ID)],
        }
        args {
            owner: &'a Pubkey,
            mint: &'a Pubkey,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let bump = canonical_bump(ctx.earnings, &PdaSeeds { seeds: &[EARNINGS_SEED, args.owner, args.mint], program_id }, "earnings")?;
    let bump_seed = [bump];
    let seeds = [Seed::from(EARNINGS_SEED), Seed::from(args.owner), Seed::from(args.mint), Seed::from(&bump_seed)];
    NewAccount::rent_exempt(ctx.payer, ctx.earnings, Earnings::LEN, program_id)?.create_even_if_funded(&[Signer::from(&seeds)])?;
    let mut earnings = Earnings::init(ctx.earnings, program_id)?;
    earnings.owner = *args.owner;
    earnings.mint = *args.mint;
    earnings.bump = bump;
    drop(earnings);
    EarningsOpened { discriminator: Discriminator::EVENT, earnings: *ctx.earnings.key(), owner: *args.owner, mint: *args.mint }.emit();
    Ok(())
}
