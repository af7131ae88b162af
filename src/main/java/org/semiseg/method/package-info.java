/**
 * The training methods, one file each ({@code Supervised}, {@code MeanTeacher}, {@code ClassMixMethod},
 * {@code MemoryBankMethod}), and the platform they stand on: {@link org.semiseg.method.Method} (the interface),
 * {@link org.semiseg.method.MethodSetup} (where a method declares its modules, EMA copies and evaluated network),
 * {@link org.semiseg.method.Step} and {@link org.semiseg.method.Batch} (what one step sees), and
 * {@link org.semiseg.method.Methods} (the list that {@code method.name} selects from).
 */
package org.semiseg.method;
