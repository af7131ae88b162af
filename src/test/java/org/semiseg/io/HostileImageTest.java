package org.semiseg.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Image headers that claim more pixels than the file can hold, or than the heap can take, are refused before
 * ImageIO allocates anything: a few hundred bytes of PNG claiming 20000x20000 used to allocate 400 MB before the
 * decoder noticed the data was missing.
 */
class HostileImageTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    void aPngHeaderClaimingMorePixelsThanItsDataIsRefusedWithoutAllocating() throws IOException {
        for (int[] wh : new int[][] {{20000, 20000}, {60000, 60000}, {Integer.MAX_VALUE, 1}, {1, 1 << 30}}) {
            byte[] png = small("png", BufferedImage.TYPE_BYTE_GRAY);
            ByteBuffer.wrap(png, 16, 8).putInt(wh[0]).putInt(wh[1]);  // IHDR width, height
            fixCrc(png, 12, 17);  // over the chunk type and its 13 bytes of data
            Path file = Files.write(dir.resolve("claims.png"), png);
            assertRefusedCheaply(file, "the header claims " + wh[0] + "x" + wh[1] + " pixels, more than a "
                    + png.length + "-byte PNG file can hold");
        }
    }

    @Test
    void aJpegHeaderClaimingMorePixelsThanItsDataIsRefused() throws IOException {
        byte[] jpeg = small("jpeg", BufferedImage.TYPE_INT_RGB);
        int sof = 2;
        while (!((jpeg[sof] & 0xFF) == 0xFF && (jpeg[sof + 1] & 0xFF) == 0xC0)) {
            sof++;
        }
        ByteBuffer.wrap(jpeg, sof + 5, 4).putShort((short) 65000).putShort((short) 65000);  // height, width
        Path file = Files.write(dir.resolve("claims.jpg"), jpeg);
        assertRefusedCheaply(file, "the header claims 65000x65000 pixels");
    }

    @Test
    void aValidImageTooLargeForTheHeapIsRefusedWithAHint() throws IOException {
        // 40000 x 40000 1-bit pixels of zeros: deflate squeezes them into a file that can truly hold them
        int w = 40000;
        int h = 40000;
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[1 + w / 8];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < h; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put((byte) 0).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        Path file = Files.write(dir.resolve("huge.png"), png.toByteArray());
        assertTrue(Files.size(file) * 1100 * 8 > (long) w * h, "the file can hold its pixels");
        assumeTrue((long) w * h * Images.BYTES_PER_PIXEL > Runtime.getRuntime().maxMemory() / 4, "a heap above 150 GB");
        assertRefusedCheaply(file, "an image of 40000x40000 pixels needs about");
    }

    private void assertRefusedCheaply(Path file, String phrase) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        ImageReadException e = assertThrows(ImageReadException.class, () -> Images.readImage(file));
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().startsWith("cannot decode " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(phrase), "'" + phrase + "' not in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(allocated < 16 << 20, "reading the header allocated " + (allocated >> 20) + " MiB");
    }

    private static byte[] small(String format, int type) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    /** Writes the CRC of {@code png[from, from + count)} right after those bytes (a PNG chunk's CRC). */
    private static void fixCrc(byte[] png, int from, int count) {
        CRC32 crc = new CRC32();
        crc.update(png, from, count);
        ByteBuffer.wrap(png, from + count, 4).putInt((int) crc.getValue());
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        png.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeAndData = new byte[4 + data.length];
        System.arraycopy(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
        System.arraycopy(data, 0, typeAndData, 4, data.length);
        png.write(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
