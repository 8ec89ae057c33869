/**
 * The sparse model file: a zip holding a network configuration (as text), a manifest with a format
 * version and one checksum per entry, and the flat parameter vector split into named tensors, each
 * stored densely or as positions (a bitmask or varint index gaps, whichever is smaller) plus the
 * stored values (float32, or float16 on request). Framework-neutral: tensors are primitive arrays;
 * {@code org.rpg4j.dl4j.deploy.format} connects it to DL4J networks.
 */
package org.rpg4j.sparse.format;
