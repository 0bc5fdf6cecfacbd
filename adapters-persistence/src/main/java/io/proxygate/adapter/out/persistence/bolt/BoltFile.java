package io.proxygate.adapter.out.persistence.bolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A read-only reader of a bbolt database file (the B+tree key/value store used by Go programs), enough to copy its
 * contents out: the two meta pages (the valid one with the higher transaction id wins, as bbolt itself decides),
 * branch and leaf pages, pages that run over into overflow pages, buckets stored in their own pages, inline buckets
 * and buckets nested in buckets. It never writes, never takes bbolt's file lock and never looks at the freelist.
 *
 * <p>Layout (little-endian): every page starts with a 16-byte header {@code id u64, flags u16, count u16, overflow
 * u32}; a page with {@code overflow = n} spans {@code n + 1} pages. A meta page holds {@code magic u32, version u32,
 * pageSize u32, flags u32, root {pgid u64, sequence u64}, freelist u64, pgid u64, txid u64, checksum u64}, the
 * checksum being FNV-1a 64 of the 56 bytes before it. Branch elements are {@code pos u32, ksize u32, pgid u64} and
 * leaf elements {@code flags u32, pos u32, ksize u32, vsize u32}, each {@code pos} counted from the element itself.
 * A bucket's value is {@code root u64, sequence u64}; root 0 means the bucket's one page follows inline.
 */
public final class BoltFile {
    static final int MAGIC = 0xED0CDAED;
    static final int VERSION = 2;
    static final int PAGE_HEADER = 16;
    static final int ELEMENT = 16;
    /** A bucket's value starts with its root page id and sequence, 8 bytes each. */
    static final int BUCKET_HEADER = 16;
    static final int BRANCH = 0x01;
    static final int LEAF = 0x02;
    static final int META = 0x04;
    static final int BUCKET_LEAF = 0x01;
    private static final int META_CHECKSUMMED = 56;
    private static final int[] PAGE_SIZES = {4096, 8192, 16384, 32768, 65536, 1024, 2048};
    /** Deeper trees than this mean a damaged file (or a cycle), not a real database. */
    static final int MAX_DEPTH = 64;

    private final ByteBuffer data;
    private final int pageSize;
    private final long txid;
    private final long rootPage;

    private BoltFile(ByteBuffer data, int pageSize, long txid, long rootPage) {
        this.data = data;
        this.pageSize = pageSize;
        this.txid = txid;
        this.rootPage = rootPage;
    }

    /**
     * Whether {@code file} starts like a bbolt database: bbolt's magic number in the meta page at offset 0, or (the
     * first meta page damaged) in the second one, one page further.
     */
    public static boolean isBolt(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (metaMagicAt(ch, 0)) {
                return true;
            }
            for (int size : PAGE_SIZES) {
                if (metaMagicAt(ch, size)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean metaMagicAt(FileChannel ch, long offset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(PAGE_HEADER + 8).order(ByteOrder.LITTLE_ENDIAN);
        while (head.hasRemaining()) {
            if (ch.read(head, offset + head.position()) < 0) {
                return false;
            }
        }
        return (head.getShort(8) & META) != 0 && head.getInt(PAGE_HEADER) == MAGIC;
    }

    /** Reads {@code file}; fails when neither meta page is valid. */
    public static BoltFile open(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return of(bytes);
    }

    /** Reads a database held in memory (tests build damaged copies this way). */
    public static BoltFile of(byte[] bytes) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        Meta first = meta(data, 0).orElse(null);
        Meta second = null;
        if (first != null) {
            second = meta(data, first.pageSize()).filter(m -> m.pageSize() == first.pageSize()).orElse(null);
        } else {
            for (int size : PAGE_SIZES) {
                second = meta(data, size).filter(m -> m.pageSize() == size).orElse(null);
                if (second != null) {
                    break;
                }
            }
        }
        Meta chosen = first == null ? second : second == null ? first : second.txid() > first.txid() ? second : first;
        if (chosen == null) {
            throw new IOException("not a readable bbolt database: no valid meta page");
        }
        return new BoltFile(data, chosen.pageSize(), chosen.txid(), chosen.rootPage());
    }

    /** The database's page size, from its meta page. */
    public int pageSize() {
        return pageSize;
    }

    /** The transaction id of the meta page in use (the last committed write). */
    public long txid() {
        return txid;
    }

    /** The root bucket: its entries are the top-level buckets. */
    public BoltBucket root() throws IOException {
        return BoltBucket.read(this, rootPage, null);
    }

    private record Meta(int pageSize, long rootPage, long txid) {
    }

    /** The meta page at {@code offset} if its header, magic, version and checksum are right. */
    private static Optional<Meta> meta(ByteBuffer data, int offset) {
        int m = offset + PAGE_HEADER;
        if (offset < 0 || m + META_CHECKSUMMED + 8 > data.limit()) {
            return Optional.empty();
        }
        if ((data.getShort(offset + 8) & META) == 0 || data.getInt(m) != MAGIC || data.getInt(m + 4) != VERSION) {
            return Optional.empty();
        }
        long checksum = data.getLong(m + META_CHECKSUMMED);
        if (checksum != 0 && checksum != fnv1a64(data, m, META_CHECKSUMMED)) {
            return Optional.empty();
        }
        int pageSize = data.getInt(m + 8);
        if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            return Optional.empty();
        }
        return Optional.of(new Meta(pageSize, data.getLong(m + 16), data.getLong(m + 48)));
    }

    static long fnv1a64(ByteBuffer data, int from, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = from; i < from + length; i++) {
            hash ^= data.get(i) & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** Page {@code id} with its overflow pages, as a buffer whose position 0 is the page header. */
    ByteBuffer page(long id) throws IOException {
        long offset = id * (long) pageSize;
        if (id < 2 || offset + PAGE_HEADER > data.limit()) {
            throw new IOException("bbolt page " + id + " lies outside the file");
        }
        int start = (int) offset;
        long overflow = Integer.toUnsignedLong(data.getInt(start + 12));
        long length = (overflow + 1) * pageSize;
        if (offset + length > data.limit()) {
            throw new IOException("bbolt page " + id + " (+" + overflow + " overflow) runs past the end of the file");
        }
        return data.slice(start, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
