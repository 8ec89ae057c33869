/** rpg4j core: framework-neutral rank-based adversarial pruning (RPG) on ND4J. */
package org.rpg4j;
