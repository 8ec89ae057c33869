/**
 * The structured methods of the examples ({@code --method l1-filter|l2-filter|slimming|ssl} and the
 * data-driven {@code hrank|dropnet|channel-pruning}): their
 * command-line options, the run that trains, removes whole channels, shrinks the network physically,
 * fine-tunes it or retrains it from scratch, and the size and speed measurements (parameters,
 * multiply-adds and inference images/s before and after) that every run writes to results.json.
 */
package org.rpg4j.examples.structured;
