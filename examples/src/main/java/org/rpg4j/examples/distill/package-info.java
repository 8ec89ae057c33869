/**
 * The examples' distillation options ({@code --teacher}, {@code --temperature}, {@code --hardness}):
 * a picocli mixin that loads the teacher model zip and attaches rpg4j's distillation
 * ({@code org.rpg4j.dl4j.distill}) to the network being trained.
 */
package org.rpg4j.examples.distill;
