/**
 * The command line of the examples (picocli): every option with its default, the conversion of
 * names such as {@code small-cnn} to their enums, and the short default job run without arguments.
 */
package org.rpg4j.examples.cli;
