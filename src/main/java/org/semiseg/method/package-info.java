/**
 * The training methods, one file each ({@code Supervised}, {@code MeanTeacher}, {@code ClassMixMethod},
 * {@code MemoryBankMethod}, {@code FixMatch}, {@code UniMatch}, {@code U2pl}, {@code Pc2seg}, {@code Cct}), and the
 * platform they stand on: {@link org.semiseg.method.Method} (the interface), {@link org.semiseg.method.MethodSetup}
 * (where a method declares its modules, EMA copies and evaluated network), {@link org.semiseg.method.Step} and
 * {@link org.semiseg.method.Batch} (what one step sees), and {@link org.semiseg.method.Methods} (the list that
 * {@code method.name} selects from). The pieces methods share are in the subpackages: {@code parts} (pseudo-labels,
 * EMA teachers, view maps, mixing, entropy), {@code contrast} (the flagship's memory bank and contrastive loss),
 * and one per method that needs more than its file ({@code u2pl}, {@code pc2seg}, {@code cct}).
 */
package org.semiseg.method;
