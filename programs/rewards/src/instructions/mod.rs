//! One module per instruction: its accounts and arguments (`sdk::instruction!`) and its handler.
