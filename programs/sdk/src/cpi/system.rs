//! System Program instructions.

use super::{invoke_signed, AccountMeta, DataBuf, Instruction, Signer};
use crate::account::AccountView;
use crate::error::{ProgramError, ProgramResult};
use crate::pubkey::Pubkey;
use crate::sysvars::Rent;

/// The System Program's address.
pub const ID: Pubkey = [0u8; 32];

const CREATE_ACCOUNT: u32 = 0;
const ASSIGN: u32 = 1;
const TRANSFER: u32 = 2;
const ALLOCATE: u32 = 8;
const CREATE_ACCOUNT_WITH_SEED: u32 = 3;
const ALLOCATE_WITH_SEED: u32 = 9;

/// Moves `lamports` from a system-owned `from` (a signer) to `to`.
pub fn transfer(from: &AccountView, to: &AccountView, lamports: u64, signers: &[Signer]) -> ProgramResult {
    let data = DataBuf::<12>::new().put(&TRANSFER.to_le_bytes()).put(&lamports.to_le_bytes());
    let metas = [AccountMeta::writable_signer(from.key()), AccountMeta::writable(to.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[from, to], signers)
}

/// Sets the data size of a system-owned, empty account (a signer).
pub fn allocate(account: &AccountView, space: u64, signers: &[Signer]) -> ProgramResult {
    let data = DataBuf::<12>::new().put(&ALLOCATE.to_le_bytes()).put(&space.to_le_bytes());
    let metas = [AccountMeta::writable_signer(account.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[account], signers)
}

/// Hands a system-owned account (a signer) to `owner`.
pub fn assign(account: &AccountView, owner: &Pubkey, signers: &[Signer]) -> ProgramResult {
    let data = DataBuf::<36>::new().put(&ASSIGN.to_le_bytes()).put(owner);
    let metas = [AccountMeta::writable_signer(account.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[account], signers)
}

/// An account to create: who pays, where, its balance, size and owner. A struct rather than
/// arguments: a function taking more than five registers of arguments is always inlined on SBPF.
pub struct NewAccount<'a> {
    pub payer: &'a AccountView,
    pub account: &'a AccountView,
    pub lamports: u64,
    pub space: usize,
    pub owner: &'a Pubkey,
}

impl<'a> NewAccount<'a> {
    /// An account of `space` bytes holding its rent exemption (from the Rent sysvar).
    pub fn rent_exempt(payer: &'a AccountView, account: &'a AccountView, space: usize, owner: &'a Pubkey) -> Result<Self, ProgramError> {
        let lamports = Rent::exempt_minimum(space)?;
        Ok(NewAccount { payer, account, lamports, space, owner })
    }

    /// System Program's CreateAccount: payer and account both sign (a PDA through `signers`).
    /// Fails if the address already holds lamports; use [`Self::create_even_if_funded`] for
    /// addresses others can predict.
    pub fn create(&self, signers: &[Signer]) -> ProgramResult {
        let data = DataBuf::<52>::new()
            .put(&CREATE_ACCOUNT.to_le_bytes())
            .put(&self.lamports.to_le_bytes())
            .put(&(self.space as u64).to_le_bytes())
            .put(self.owner);
        let metas = [AccountMeta::writable_signer(self.payer.key()), AccountMeta::writable_signer(self.account.key())];
        invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[self.payer, self.account], signers)
    }

    /// Creates the account at the address derived from `base`, `seed` and `owner`
    /// ([`crate::pda::address_with_seed`]), `base` signing (a PDA through `signers`), also when someone
    /// already sent lamports there (then: top-up, AllocateWithSeed, which also assigns). The payer
    /// signs the transaction.
    pub fn create_with_seed(&self, base: &AccountView, seed: &[u8], signers: &[Signer]) -> ProgramResult {
        let funded = self.top_up()?;
        // bincode: u32 tag, base, seed as a String (u64 length and bytes), [lamports,] space, owner
        let data = DataBuf::<{ 4 + 32 + 8 + crate::pda::MAX_ADDRESS_SEED_LEN + 8 + 8 + 32 }>::new()
            .put(&(if funded { ALLOCATE_WITH_SEED } else { CREATE_ACCOUNT_WITH_SEED }).to_le_bytes())
            .put(base.key())
            .put(&(seed.len() as u64).to_le_bytes())
            .put(seed);
        let data = if funded { data } else { data.put(&self.lamports.to_le_bytes()) };
        let data = data.put(&(self.space as u64).to_le_bytes()).put(self.owner);
        if funded {
            let metas = [AccountMeta::writable(self.account.key()), AccountMeta::readonly_signer(base.key())];
            invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[self.account, base], signers)
        } else {
            let metas = [AccountMeta::writable_signer(self.payer.key()), AccountMeta::writable(self.account.key()), AccountMeta::readonly_signer(base.key())];
            invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[self.payer, self.account, base], signers)
        }
    }

    /// Creates the account also when someone already sent lamports to its address (which makes a
    /// plain CreateAccount fail: a cheap denial of service against PDAs whose address is
    /// predictable): tops the balance up to `lamports`, then allocates and assigns.
    pub fn create_even_if_funded(&self, signers: &[Signer]) -> ProgramResult {
        if !self.top_up()? {
            return self.create(signers);
        }
        allocate(self.account, self.space as u64, signers)?;
        assign(self.account, self.owner, signers)
    }

    /// Whether someone already sent lamports to the address (then the `*Create*` instructions fail
    /// and the account is made by allocate and assign); if so, tops its balance up to `lamports`.
    fn top_up(&self) -> Result<bool, ProgramError> {
        let current = self.account.lamports();
        if current == 0 {
            return Ok(false);
        }
        if let Some(top_up) = self.lamports.checked_sub(current).filter(|t| *t > 0) {
            transfer(self.payer, self.account, top_up, &[])?;
        }
        Ok(true)
    }
}
