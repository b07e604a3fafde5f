package io.parallelix.node.gpu.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy .npz archive (what {@code numpy.load} reads): a zip of .npy files, format version 1.0,
 * little-endian FP32, C order. Written as a stream, uncompressed, so large tensors need no array.
 */
final class NpzWriter implements AutoCloseable {
    /** Writes one array's row-major little-endian FP32 bytes. */
    interface Values {
        void write(OutputStream out) throws IOException;
    }

    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final ZipOutputStream zip;

    NpzWriter(Path file) throws IOException {
        zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        zip.setLevel(Deflater.NO_COMPRESSION);
    }

    void add(String name, long[] shape, Values values) throws IOException {
        ZipEntry entry = new ZipEntry(name + ".npy");
        entry.setTimeLocal(FIXED_TIME); // the same spec writes the same bytes
        zip.putNextEntry(entry);
        zip.write(header(shape));
        values.write(zip);
        zip.closeEntry();
    }

    /** The .npy 1.0 header: magic, version, length, then a dict padded so the data is 64-byte aligned. */
    static byte[] header(long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1
                ? "(" + shape[0] + ",)"
                : "(" + dims.toString().replaceAll(", $", "") + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = 10 + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + body.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, out, 0, magic.length);
        out[8] = (byte) (body.length & 0xFF);
        out[9] = (byte) (body.length >>> 8);
        System.arraycopy(body, 0, out, 10, body.length);
        return out;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
