/**
 * The one training loop ({@link org.semiseg.train.Trainer}) and what it owns: set-up and resume
 * ({@link org.semiseg.train.TrainSetup}), SGD with exact state, the poly schedule, the step guard against
 * non-finite steps, validation, metrics and checkpoints.
 */
package org.semiseg.train;
