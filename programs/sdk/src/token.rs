//! Read-only views of SPL Token / Token-2022 mints and token accounts, and Token-2022 extensions.

use crate::account::{AccountView, Ref};
use crate::error::{FrameworkError, ProgramError};
use crate::pubkey::{pubkey_eq, Pubkey};

pub const TOKEN_PROGRAM_ID: Pubkey = crate::pubkey!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
pub const TOKEN_2022_PROGRAM_ID: Pubkey = crate::pubkey!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

/// Size of a token account without extensions.
pub const TOKEN_ACCOUNT_LEN: usize = 165;
/// Size of a mint without extensions.
pub const MINT_LEN: usize = 82;
/// Token-2022: offset of the account-type byte that precedes the extensions of both kinds.
const ACCOUNT_TYPE_OFFSET: usize = 165;
const ACCOUNT_TYPE_MINT: u8 = 1;
const ACCOUNT_TYPE_ACCOUNT: u8 = 2;

/// Token-2022 extension types (the `u16` tag of each TLV entry).
pub mod extension {
    pub const TRANSFER_FEE_CONFIG: u16 = 1;
    pub const MINT_CLOSE_AUTHORITY: u16 = 3;
    pub const CONFIDENTIAL_TRANSFER_MINT: u16 = 4;
    pub const DEFAULT_ACCOUNT_STATE: u16 = 6;
    pub const IMMUTABLE_OWNER: u16 = 7;
    pub const NON_TRANSFERABLE: u16 = 9;
    pub const INTEREST_BEARING_CONFIG: u16 = 10;
    pub const PERMANENT_DELEGATE: u16 = 12;
    pub const TRANSFER_HOOK: u16 = 14;
    pub const CONFIDENTIAL_TRANSFER_FEE_CONFIG: u16 = 16;
    pub const METADATA_POINTER: u16 = 18;
    pub const TOKEN_METADATA: u16 = 19;
    pub const SCALED_UI_AMOUNT: u16 = 25;
    pub const PAUSABLE: u16 = 26;
}

/// A mint, checked to be owned by a token program and initialized.
pub struct Mint<'a> {
    data: Ref<'a, [u8]>,
}

impl<'a> Mint<'a> {
    pub fn load(account: &'a AccountView) -> Result<Self, ProgramError> {
        if !crate::cpi::token::is_token_program(account.owner()) {
            return Err(FrameworkError::ConstraintMintTokenProgram.into());
        }
        let data = account.try_borrow_data()?;
        let valid = data.len() == MINT_LEN
            || (data.len() > ACCOUNT_TYPE_OFFSET && data[ACCOUNT_TYPE_OFFSET] == ACCOUNT_TYPE_MINT);
        if !valid || data[45] != 1 {
            return Err(FrameworkError::AccountDidNotDeserialize.into());
        }
        Ok(Mint { data })
    }

    pub fn decimals(&self) -> u8 {
        // `load` checked the length; `get` keeps a panic path out of the program
        self.data.get(44).copied().unwrap_or_default()
    }

    pub fn supply(&self) -> u64 {
        read_u64(&self.data, 36)
    }

    /// Token-2022 extension tags present on the mint (none for classic Token mints).
    pub fn extensions(&self) -> Extensions<'_> {
        Extensions::new(&self.data)
    }
}

/// A token account, checked to be owned by a token program and initialized.
pub struct TokenAccount<'a> {
    data: Ref<'a, [u8]>,
}

impl<'a> TokenAccount<'a> {
    pub fn load(account: &'a AccountView) -> Result<Self, ProgramError> {
        if !crate::cpi::token::is_token_program(account.owner()) {
            return Err(FrameworkError::AccountOwnedByWrongProgram.into());
        }
        let data = account.try_borrow_data()?;
        let valid = data.len() == TOKEN_ACCOUNT_LEN
            || (data.len() > ACCOUNT_TYPE_OFFSET && data[ACCOUNT_TYPE_OFFSET] == ACCOUNT_TYPE_ACCOUNT);
        // state: 0 uninitialized, 1 initialized, 2 frozen
        if !valid || data[108] == 0 {
            return Err(FrameworkError::AccountDidNotDeserialize.into());
        }
        Ok(TokenAccount { data })
    }

    pub fn mint(&self) -> &Pubkey {
        self.data[0..32].try_into().expect("length checked at load")
    }

    pub fn owner(&self) -> &Pubkey {
        self.data[32..64].try_into().expect("length checked at load")
    }

    pub fn amount(&self) -> u64 {
        read_u64(&self.data, 64)
    }

    pub fn is_frozen(&self) -> bool {
        self.data[108] == 2
    }

    /// True when a delegate may move tokens out of the account.
    pub fn has_delegate(&self) -> bool {
        self.data[72] != 0
    }

    /// True when someone other than the owner may close it.
    pub fn has_close_authority(&self) -> bool {
        self.data[129] != 0
    }

    pub fn is_mint(&self, mint: &Pubkey) -> bool {
        pubkey_eq(self.mint(), mint)
    }
}

fn read_u64(data: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&data[at..at.saturating_add(8)]);
    u64::from_le_bytes(w)
}

/// Iterator over the extension tags of a Token-2022 account or mint.
pub struct Extensions<'d> {
    data: &'d [u8],
    at: usize,
}

impl<'d> Extensions<'d> {
    fn new(data: &'d [u8]) -> Self {
        Extensions { data, at: ACCOUNT_TYPE_OFFSET + 1 }
    }
}

impl Iterator for Extensions<'_> {
    type Item = u16;
    fn next(&mut self) -> Option<u16> {
        let header_end = self.at.checked_add(4)?;
        let header = self.data.get(self.at..header_end)?;
        let tag = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        if tag == 0 {
            return None; // uninitialized padding ends the list
        }
        self.at = header_end.checked_add(len)?;
        Some(tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_token_2022_extensions() {
        let mut data = std::vec![0u8; 166];
        data[165] = ACCOUNT_TYPE_MINT;
        data.extend_from_slice(&extension::TRANSFER_FEE_CONFIG.to_le_bytes());
        data.extend_from_slice(&3u16.to_le_bytes());
        data.extend_from_slice(&[1, 2, 3]);
        data.extend_from_slice(&extension::TRANSFER_HOOK.to_le_bytes());
        data.extend_from_slice(&0u16.to_le_bytes());
        let tags: std::vec::Vec<u16> = Extensions::new(&data).collect();
        assert_eq!(tags, [extension::TRANSFER_FEE_CONFIG, extension::TRANSFER_HOOK]);
        assert_eq!(Extensions::new(&data[..MINT_LEN]).count(), 0);
    }
}
