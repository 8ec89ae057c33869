/**
 * Turns JMH's JSON results into what the issue asks for: one line per performance target (measured
 * value, target, PASS/FAIL) and the plot of SVD time against matrix size per method. Nothing here
 * is timed.
 */
package org.rpg4j.benchmarks.report;
