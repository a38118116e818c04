package io.dynstack.workloads.bench.chains.work;

import io.dynstack.annotation.Frame;
import io.dynstack.workloads.bench.Inline;

/**
 * A chain with real work in every frame: a write through an encrypting filesystem, each layer
 * hashing the 128-byte block it passes down (an FNV-1a over sixteen words, {@link Inline#fnv1a}) before calling the
 * next, as checksumming, encryption and integrity layers do. It asks what the accounting and the
 * checks cost when frames do something, rather than nothing at all.
 */
public final class CryptWrite {

    private CryptWrite() {
    }

    /** Writes {@code block} (sixteen words) through eight layers; returns the last layer's hash. */
    public static long run(long[] block, long seed) {
        return vfsWrite(block, seed);
    }

    @Frame(bytes = 96)
    static long vfsWrite(long[] block, long h) {
        return fscryptEncrypt(block, Inline.fnv1a(block, h));
    }

    @Frame(bytes = 176)
    static long fscryptEncrypt(long[] block, long h) {
        return cryptoSkcipherEncrypt(block, Inline.fnv1a(block, h));
    }

    @Frame(bytes = 128)
    static long cryptoSkcipherEncrypt(long[] block, long h) {
        return aesEncryptBlocks(block, Inline.fnv1a(block, h));
    }

    @Frame(bytes = 304)
    static long aesEncryptBlocks(long[] block, long h) {
        return blkIntegrityGenerate(block, Inline.fnv1a(block, h));
    }

    @Frame(bytes = 112)
    static long blkIntegrityGenerate(long[] block, long h) {
        return crc64Update(block, Inline.fnv1a(block, h));
    }

    static long crc64Update(long[] block, long h) {
        return submitBio(block, Inline.fnv1a(block, h));
    }

    @Frame(bytes = 144)
    static long submitBio(long[] block, long h) {
        return nvmeQueueRq(block, Inline.fnv1a(block, h));
    }

    @Frame(bytes = 176)
    static long nvmeQueueRq(long[] block, long h) {
        return Inline.fnv1a(block, h);
    }
}
