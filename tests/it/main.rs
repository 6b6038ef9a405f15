//! Integration tests: the real binary on real workbooks, outputs read back cell by cell.

mod architecture;
mod brief;
mod close_the_loop;
mod console;
mod corpus_kinds;
mod figures;
mod fixtures;
mod hostile;
mod layouts;
mod levels;
mod linux;
mod month;
mod print;
mod public_files;
mod render;
mod run;
mod samples;
mod snapshot;
mod statistics;
mod strays;
mod template;
mod util;
mod windows;
