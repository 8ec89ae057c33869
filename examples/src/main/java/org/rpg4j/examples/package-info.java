/**
 * Runnable examples of rpg4j: train ResNets and VGG on CIFAR-10 and small CNNs on Fashion-MNIST
 * while pruning them, from one command ({@link org.rpg4j.examples.TrainAndPrune}).
 */
package org.rpg4j.examples;
