/**
 * The comparison study: dense training, gradual magnitude pruning, RigL-style regrowth, RPG and RPG
 * as a regulariser, at several sparsities and seeds, with one recipe per model. {@link
 * org.rpg4j.examples.study.StudyPlan} lists the runs, {@link org.rpg4j.examples.study.StudyRunner}
 * runs them (resumably, optionally in shards), {@link org.rpg4j.examples.study.StudyReport} turns
 * their {@code results.json} files into tables and plots.
 */
package org.rpg4j.examples.study;
