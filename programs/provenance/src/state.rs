//! Program state.
