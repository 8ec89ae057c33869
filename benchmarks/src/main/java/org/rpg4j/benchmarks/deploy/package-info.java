/**
 * Measurements of the sparse model file ({@code org.rpg4j.dl4j.deploy.format}): file size, write
 * and load time against DL4J's own model zip, and the accuracy cost of float16 values. Run by
 * {@code benchmarks/run.sh sparse-format}.
 */
package org.rpg4j.benchmarks.deploy;
