package io.proxygate.adapter.out.persistence.bolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One bucket of a {@link BoltFile}, read whole when opened: its key/value pairs and its sub-buckets, in key order.
 * Keys and values are copied out, so a bucket stays usable on its own.
 */
public final class BoltBucket {
    /** One entry: a value, or (when {@code bucket}) the raw bucket header a sub-bucket is opened from. */
    public record Entry(byte[] key, byte[] value, boolean bucket) {
        public String keyText() {
            return new String(key, StandardCharsets.UTF_8);
        }

        public String valueText() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private final BoltFile file;
    private final List<Entry> entries;
    private final int depth;

    private BoltBucket(BoltFile file, List<Entry> entries, int depth) {
        this.file = file;
        this.entries = entries;
        this.depth = depth;
    }

    /** The bucket whose root is page {@code root}, or (root 0) whose page is {@code inline}. */
    static BoltBucket read(BoltFile file, long root, ByteBuffer inline) throws IOException {
        return read(file, root, inline, 0);
    }

    private static BoltBucket read(BoltFile file, long root, ByteBuffer inline, int depth) throws IOException {
        if (depth > BoltFile.MAX_DEPTH) {
            throw new IOException("bbolt buckets nested deeper than " + BoltFile.MAX_DEPTH);
        }
        List<Entry> out = new ArrayList<>();
        if (root == 0) {
            if (inline == null) {
                throw new IOException("bbolt bucket without a root page or an inline page");
            }
            collect(file, inline, out, 0);
        } else {
            collect(file, file.page(root), out, 0);
        }
        return new BoltBucket(file, Collections.unmodifiableList(out), depth);
    }

    /** Every entry of the page's subtree, in key order. */
    private static void collect(BoltFile file, ByteBuffer page, List<Entry> out, int level) throws IOException {
        if (level > BoltFile.MAX_DEPTH) {
            throw new IOException("bbolt tree deeper than " + BoltFile.MAX_DEPTH + " levels");
        }
        int flags = page.getShort(8) & 0xffff;
        int count = page.getShort(10) & 0xffff;
        if (BoltFile.PAGE_HEADER + (long) count * BoltFile.ELEMENT > page.limit()) {
            throw new IOException("bbolt page holds more elements than fit in it");
        }
        for (int i = 0; i < count; i++) {
            int element = BoltFile.PAGE_HEADER + i * BoltFile.ELEMENT;
            if ((flags & BoltFile.LEAF) != 0) {
                int elementFlags = page.getInt(element);
                long pos = Integer.toUnsignedLong(page.getInt(element + 4));
                long keySize = Integer.toUnsignedLong(page.getInt(element + 8));
                long valueSize = Integer.toUnsignedLong(page.getInt(element + 12));
                byte[] key = bytes(page, element + pos, keySize);
                byte[] value = bytes(page, element + pos + keySize, valueSize);
                out.add(new Entry(key, value, (elementFlags & BoltFile.BUCKET_LEAF) != 0));
            } else if ((flags & BoltFile.BRANCH) != 0) {
                long child = page.getLong(element + 8);
                collect(file, file.page(child), out, level + 1);
            } else {
                throw new IOException("bbolt page is neither a branch nor a leaf (flags 0x"
                        + Integer.toHexString(flags) + ")");
            }
        }
    }

    private static byte[] bytes(ByteBuffer page, long from, long length) throws IOException {
        if (from < 0 || length < 0 || from + length > page.limit()) {
            throw new IOException("bbolt element runs past its page");
        }
        byte[] out = new byte[(int) length];
        page.get((int) from, out);
        return out;
    }

    /** The entries (values and sub-buckets) in key order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The value stored under {@code key} (not a sub-bucket). */
    public Optional<byte[]> get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return entries.stream().filter(e -> !e.bucket() && java.util.Arrays.equals(e.key(), k)).findFirst()
                .map(Entry::value);
    }

    /** The sub-bucket named {@code name}, read whole. */
    public Optional<BoltBucket> bucket(String name) throws IOException {
        byte[] k = name.getBytes(StandardCharsets.UTF_8);
        for (Entry e : entries) {
            if (e.bucket() && java.util.Arrays.equals(e.key(), k)) {
                return Optional.of(open(e));
            }
        }
        return Optional.empty();
    }

    /** The names of the sub-buckets, in key order. */
    public List<String> bucketNames() {
        return entries.stream().filter(Entry::bucket).map(Entry::keyText).toList();
    }

    private BoltBucket open(Entry e) throws IOException {
        if (e.value().length < BoltFile.BUCKET_HEADER) {
            throw new IOException("bbolt bucket header too short");
        }
        ByteBuffer header = ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN);
        long root = header.getLong(0);
        ByteBuffer inline = root != 0 ? null
                : header.slice(BoltFile.BUCKET_HEADER, e.value().length - BoltFile.BUCKET_HEADER)
                        .order(ByteOrder.LITTLE_ENDIAN);
        return read(file, root, inline, depth + 1);
    }
}
