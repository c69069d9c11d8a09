//! Integration tests: each runs the real `repgap` binary on files.

mod workdir;

mod test_annex;
mod test_attacker;
mod test_census;
mod test_classify;
mod test_disclosure;
mod test_files;
mod test_likelihood;
mod test_outputs;
mod test_real_files;
mod test_representation;
mod test_rounding;
mod test_run;
mod test_survey;
mod test_workforce;
