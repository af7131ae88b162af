/**
 * The command line (picocli): parse, load the config, hand over to {@code train}, {@code eval} or {@code bench}. No
 * tensor code. Bad input ends in a one-line error and a non-zero exit (a stack trace only with {@code --verbose}).
 */
package org.semiseg.cli;
