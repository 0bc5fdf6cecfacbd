package io.proxygate.adapter.out.persistence.bolt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bbolt reader against a database written by bbolt itself ({@code bolt/reader-test.db}, made by
 * {@code testdata/bolt-fixture/main.go -reader-test}): branch pages, overflow pages, inline and nested buckets, and
 * the choice between the two meta pages.
 */
class BoltFileTest {
    @TempDir
    Path dir;

    private static byte[] fixture() throws IOException {
        try (InputStream in = BoltFileTest.class.getResourceAsStream("/bolt/reader-test.db")) {
            return Objects.requireNonNull(in, "bolt/reader-test.db").readAllBytes();
        }
    }

    private static BoltBucket bucket(BoltFile file, String name) throws IOException {
        return file.root().bucket(name).orElseThrow();
    }

    @Test
    void listsTheTopLevelBucketsInKeyOrder() throws IOException {
        BoltFile file = BoltFile.of(fixture());
        assertThat(file.pageSize()).isEqualTo(4096);
        assertThat(file.root().bucketNames()).containsExactly("big", "empty", "many", "outer", "small");
    }

    @Test
    void readsEveryKeyOfABucketSpreadOverLeafPagesUnderABranchPage() throws IOException {
        BoltFile file = BoltFile.of(fixture());
        BoltBucket many = bucket(file, "many");
        assertThat(many.entries()).hasSize(1200);
        for (int i = 0; i < 1200; i++) {
            BoltBucket.Entry e = many.entries().get(i);
            assertThat(e.keyText()).isEqualTo("key-%05d".formatted(i));
            assertThat(e.valueText()).isEqualTo("value-" + i * 7);
        }
        long root = header(file.root(), "many").getLong(0);
        assertThat(file.page(root).getShort(8) & BoltFile.BRANCH).as("root page of 'many' is a branch").isNotZero();
    }

    @Test
    void readsAValueThatRunsIntoOverflowPages() throws IOException {
        BoltFile file = BoltFile.of(fixture());
        BoltBucket big = bucket(file, "big");
        byte[] blob = big.get("blob").orElseThrow();
        assertThat(blob).hasSize(20000);
        for (int i = 0; i < blob.length; i++) {
            assertThat(blob[i]).isEqualTo((byte) ('a' + i % 26));
        }
        assertThat(big.get("tiny")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8))
                .isEqualTo("t"));
        long root = header(file.root(), "big").getLong(0);
        assertThat(file.page(root).getInt(12)).as("overflow count of the page holding the blob").isPositive();
    }

    @Test
    void readsAnInlineBucket() throws IOException {
        BoltFile file = BoltFile.of(fixture());
        assertThat(header(file.root(), "small").getLong(0)).as("an inline bucket has no root page").isZero();
        assertThat(bucket(file, "small").get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[]{'v'}));
        assertThat(bucket(file, "empty").entries()).isEmpty();
    }

    @Test
    void readsBucketsNestedTwoDeep() throws IOException {
        BoltFile file = BoltFile.of(fixture());
        BoltBucket outer = bucket(file, "outer");
        assertThat(outer.get("a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[]{'1'}));
        assertThat(outer.bucketNames()).containsExactly("middle");
        BoltBucket middle = outer.bucket("middle").orElseThrow();
        assertThat(middle.entries().stream().filter(e -> !e.bucket())).hasSize(500);
        assertThat(middle.get("m499")).hasValueSatisfying(v -> assertThat(v).hasSize(40));
        BoltBucket inner = middle.bucket("inner").orElseThrow();
        assertThat(inner.get("deep")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8))
                .isEqualTo("here"));
        assertThat(outer.get("middle")).as("a sub-bucket is not a value").isEmpty();
        assertThat(outer.bucket("nope")).isEmpty();
    }

    @Test
    void usesTheOtherMetaPageWhenTheNewerOneFailsItsChecksum() throws IOException {
        byte[] bytes = fixture();
        BoltFile intact = BoltFile.of(bytes);
        int pageSize = intact.pageSize();
        int newer = txid(bytes, 0) > txid(bytes, pageSize) ? 0 : pageSize;
        bytes[newer + 16 + 40] ^= 0x01; // one bit of the freelist page id, inside the checksummed part
        BoltFile fallback = BoltFile.of(bytes);
        assertThat(fallback.txid()).isLessThan(intact.txid()).isEqualTo(txid(bytes, newer == 0 ? pageSize : 0));
    }

    @Test
    void picksTheMetaPageWithTheHigherTransactionId() throws IOException {
        byte[] bytes = fixture();
        long first = txid(bytes, 0);
        long second = txid(bytes, 4096);
        assertThat(first).isNotEqualTo(second);
        assertThat(BoltFile.of(bytes).txid()).isEqualTo(Math.max(first, second));
    }

    @Test
    void recognisesABoltFileByItsMagicEvenWithTheFirstMetaPageDamaged() throws IOException {
        byte[] bytes = fixture();
        Path intact = Files.write(dir.resolve("intact.db"), bytes);
        assertThat(BoltFile.isBolt(intact)).isTrue();
        bytes[16] = 0; // the first meta page's magic
        Path damaged = Files.write(dir.resolve("damaged.db"), bytes);
        assertThat(BoltFile.isBolt(damaged)).isTrue();
        assertThat(BoltFile.open(damaged).txid()).isEqualTo(txid(bytes, 4096));
    }

    @Test
    void aSqliteFileOrAnEmptyFileIsNotBolt() throws IOException {
        byte[] sqlite = new byte[8192];
        System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, sqlite, 0, 16);
        assertThat(BoltFile.isBolt(Files.write(dir.resolve("a.db"), sqlite))).isFalse();
        assertThat(BoltFile.isBolt(Files.write(dir.resolve("empty.db"), new byte[0]))).isFalse();
        assertThat(BoltFile.isBolt(dir.resolve("missing.db"))).isFalse();
        assertThatThrownBy(() -> BoltFile.of(sqlite)).isInstanceOf(IOException.class)
                .hasMessageContaining("no valid meta page");
    }

    @Test
    void aPagePointingOutsideTheFileIsAnErrorNotACrash() throws IOException {
        byte[] bytes = fixture();
        byte[] cut = java.util.Arrays.copyOf(bytes, 3 * 4096);
        BoltFile file = BoltFile.of(cut);
        assertThatThrownBy(file::root).isInstanceOf(IOException.class).hasMessageContaining("outside the file");
    }

    private static long txid(byte[] bytes, int pageOffset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(pageOffset + 16 + 48);
    }

    private static ByteBuffer header(BoltBucket parent, String name) {
        List<BoltBucket.Entry> entries = parent.entries();
        BoltBucket.Entry e = entries.stream().filter(x -> x.bucket() && x.keyText().equals(name)).findFirst()
                .orElseThrow();
        return ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
