package dev.kclboot.core.aggregation;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import static dev.kclboot.core.aggregation.TestRecords.MAX_HASH_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HashKeyRangeTest {

    @Test
    void parsesTheDecimalStringsOfKinesisAndTheLeaseTable() {
        HashKeyRange range = HashKeyRange.of("0", MAX_HASH_KEY.toString());

        assertThat(range.startingHashKey()).isEqualTo(BigInteger.ZERO);
        assertThat(range.endingHashKey()).isEqualTo(MAX_HASH_KEY);
    }

    @Test
    void containsBothEnds() {
        HashKeyRange range = new HashKeyRange(BigInteger.TEN, BigInteger.valueOf(20));

        assertThat(range.contains(BigInteger.valueOf(9))).isFalse();
        assertThat(range.contains(BigInteger.TEN)).isTrue();
        assertThat(range.contains(BigInteger.valueOf(15))).isTrue();
        assertThat(range.contains(BigInteger.valueOf(20))).isTrue();
        assertThat(range.contains(BigInteger.valueOf(21))).isFalse();
    }

    @Test
    void rejectsWhatIsNotARange() {
        assertThatIllegalArgumentException().isThrownBy(() -> HashKeyRange.of("20", "10"));
        assertThatIllegalArgumentException().isThrownBy(() -> HashKeyRange.of("-1", "10"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HashKeyRange(BigInteger.ZERO, MAX_HASH_KEY.add(BigInteger.ONE)));
        assertThatIllegalArgumentException().isThrownBy(() -> HashKeyRange.of("0x10", "20"));
    }
}
