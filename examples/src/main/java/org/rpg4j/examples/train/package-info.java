/**
 * Training of the example networks: the reference optimiser (SGD with heavy-ball momentum, coupled
 * weight decay), the cosine learning-rate schedule with linear warm-up, the training loop with its
 * progress lines and per-epoch evaluation, per-layer weight statistics, and the one place where
 * pruning is attached ({@link org.rpg4j.examples.train.PruningHook}).
 */
package org.rpg4j.examples.train;
