/**
 * Crash-safe checkpoints of the examples' training runs and their resumption: a checkpoint is one
 * directory per saved iteration ({@code ckpt-<iteration>}) holding the model zip (weights, updater
 * state, masks and pruner state), the trainer's state (data position, random states, metrics so
 * far), the run's options and a manifest with the SHA-256 of every file. Checkpoints are written to a
 * temporary directory, synced, renamed into place and the parent directory synced, so a crash at
 * any point leaves either the previous set of checkpoints or the new one, never half a checkpoint
 * that looks valid. {@code docs/reliability.md} states the guarantees and the tests that check them.
 */
package org.rpg4j.examples.checkpoint;
