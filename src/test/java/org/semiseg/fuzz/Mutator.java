package org.semiseg.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a seed file: byte-level changes (bits, interesting values, integers in both byte orders, cut,
 * duplicated and inserted ranges, splices of two seeds), and for text formats token-level ones (numbers swapped for
 * extreme ones, YAML specials, lines duplicated or dropped, deep nesting, long strings). The same random generator
 * always gives the same input, so an input is reproduced from its seed and index alone.
 */
final class Mutator {
    private static final long[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
            0x7FFFFFFF, 0x80000000L, 0xFFFFFFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 46341, 65535 * 65535L};
    private static final List<String> TEXT_NUMBERS = List.of("-1", "0", "1e308", "-1e308", "99999999999999999999999",
            "2147483648", "-2147483649", "9223372036854775808", "NaN", ".nan", ".inf", "-.inf", "0x7fffffff", "1.5",
            "-0", "1/0", "0/1", "3/2");
    private static final List<String> TEXT_SNIPPETS = List.of("&a ", "*a", "*b", "<<: *a", "[", "]", "{", "}", ": ",
            "- ", "!!binary AAAA", "!!python/object:x {}", "!!int ", "? ", "|\n", ">-\n", "\t", "'", "\"", "\\u0000",
            "\u0000", "~", "null", "true", "--- ", "...\n", "#", "%YAML 1.1\n", "\uFEFF", "\r", ",", "../", "/",
            "\\", " ", "\n", "\n\n", "é", "\uD800", "train/", "annot/", ".png", "\"files\": null", "\"iteration\": -5");

    private final SplittableRandom random;
    private final List<byte[]> seeds;
    private final boolean text;

    /**
     * @param seed  the input's own seed (derived from the run seed and the input's index)
     * @param seeds the target's seed files
     * @param text  whether the format is text (YAML, JSON, split lists): token mutations are added
     */
    Mutator(long seed, List<byte[]> seeds, boolean text) {
        this.random = new SplittableRandom(seed);
        this.seeds = seeds;
        this.text = text;
    }

    /** One input: a seed with 1 to 4 mutations (an unchanged seed now and then, which must load). */
    byte[] next() {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int rounds = random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            data = text && random.nextBoolean() ? mutateText(data) : mutateBytes(data);
        }
        return data;
    }

    private byte[] mutateBytes(byte[] d) {
        int n = d.length;
        switch (random.nextInt(9)) {
            case 0 -> {  // flip bits
                if (n > 0) {
                    for (int k = 1 + random.nextInt(8); k > 0; k--) {
                        d[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                return d;
            }
            case 1 -> {  // an interesting byte
                if (n > 0) {
                    d[random.nextInt(n)] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                }
                return d;
            }
            case 2 -> {  // an interesting 2/4/8-byte integer, either byte order, mostly near the start (headers)
                int width = new int[] {2, 4, 8}[random.nextInt(3)];
                if (n >= width) {
                    int at = random.nextBoolean() ? random.nextInt(Math.min(n - width, 64) + 1) : random.nextInt(n - width + 1);
                    ByteBuffer b = ByteBuffer.wrap(d, at, width)
                            .order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    long v = INTERESTING[random.nextInt(INTERESTING.length)];
                    switch (width) {
                        case 2 -> b.putShort((short) v);
                        case 4 -> b.putInt((int) v);
                        default -> b.putLong(v);
                    }
                }
                return d;
            }
            case 3 -> {  // cut a range
                if (n == 0) {
                    return d;
                }
                int from = random.nextInt(n);
                int to = Math.min(n, from + 1 + random.nextInt(Math.max(1, n / 4)));
                return concat(Arrays.copyOfRange(d, 0, from), Arrays.copyOfRange(d, to, n));
            }
            case 4 -> {  // duplicate a range somewhere
                if (n == 0) {
                    return d;
                }
                int from = random.nextInt(n);
                int to = Math.min(n, from + 1 + random.nextInt(Math.max(1, n / 4)));
                int at = random.nextInt(n + 1);
                return concat(Arrays.copyOfRange(d, 0, at), Arrays.copyOfRange(d, from, to), Arrays.copyOfRange(d, at, n));
            }
            case 5 -> {  // truncate
                return Arrays.copyOf(d, random.nextInt(n + 1));
            }
            case 6 -> {  // random bytes inserted
                byte[] junk = new byte[1 + random.nextInt(32)];
                random.nextBytes(junk);
                int at = random.nextInt(n + 1);
                return concat(Arrays.copyOfRange(d, 0, at), junk, Arrays.copyOfRange(d, at, n));
            }
            case 7 -> {  // splice with another seed
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(n + 1);
                int from = random.nextInt(other.length + 1);
                return concat(Arrays.copyOfRange(d, 0, cut), Arrays.copyOfRange(other, from, other.length));
            }
            default -> {  // overwrite a run with one byte value
                if (n > 0) {
                    int from = random.nextInt(n);
                    Arrays.fill(d, from, Math.min(n, from + 1 + random.nextInt(64)), (byte) random.nextInt(256));
                }
                return d;
            }
        }
    }

    private byte[] mutateText(byte[] d) {
        String s = new String(d, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(List.of(s.split("\n", -1)));
        int line = random.nextInt(lines.size());
        switch (random.nextInt(7)) {
            case 0 -> {  // a number becomes an extreme one
                String l = lines.get(line);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?[0-9][0-9./e+-]*").matcher(l);
                List<int[]> spans = new java.util.ArrayList<>();
                while (m.find()) {
                    spans.add(new int[] {m.start(), m.end()});
                }
                if (!spans.isEmpty()) {
                    int[] sp = spans.get(random.nextInt(spans.size()));
                    lines.set(line, l.substring(0, sp[0]) + pick(TEXT_NUMBERS) + l.substring(sp[1]));
                }
            }
            case 1 -> {  // a YAML / path special inserted
                String l = lines.get(line);
                int at = random.nextInt(l.length() + 1);
                lines.set(line, l.substring(0, at) + pick(TEXT_SNIPPETS) + l.substring(at));
            }
            case 2 -> lines.add(line, lines.get(random.nextInt(lines.size())));  // a line duplicated
            case 3 -> lines.remove(line);
            case 4 -> {  // indentation changed
                String l = lines.get(line);
                lines.set(line, random.nextBoolean() ? "  ".repeat(1 + random.nextInt(3)) + l : l.stripLeading());
            }
            case 5 -> {  // deep nesting
                int depth = 100 * (1 + random.nextInt(60));
                lines.add(line, "deep: " + "[".repeat(depth) + "]".repeat(depth));
            }
            default -> {  // a long token
                String l = lines.get(line);
                int at = random.nextInt(l.length() + 1);
                lines.set(line, l.substring(0, at) + "x".repeat(1 << (8 + random.nextInt(10))) + l.substring(at));
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
