package voicecall.engine.stt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The spare decoders of one acoustic model of one knowledge version: decoders no call has used yet.
 * A decoder serves one call only (its live cepstral mean and search state follow the call's audio),
 * so the pool never takes one back; it is refilled with new ones built in the background, one at a
 * time, up to {@code capacity}. A decoder the pool refuses (it is full, or retired because its
 * version was replaced or the recogniser closed) is freed, so none is left behind by a build that
 * finishes late.
 */
final class DecoderPool {

  private final int capacity;
  private final Deque<SphinxDecoder> spares = new ArrayDeque<>();
  private boolean building;
  private boolean retired;

  /**
   * @param capacity how many spare decoders the pool keeps ready
   */
  DecoderPool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** The oldest spare, or null when none is ready. */
  synchronized @Nullable SphinxDecoder take() {
    return spares.pollFirst();
  }

  /**
   * Keeps a decoder no call has used, or frees it when the pool is full or retired.
   *
   * @return whether the pool kept it
   */
  boolean addNew(SphinxDecoder decoder) {
    synchronized (this) {
      if (!retired && spares.size() < capacity) {
        spares.addLast(decoder);
        return true;
      }
    }
    decoder.free();
    return false;
  }

  /**
   * Whether a spare should be built now: the pool is live, below its capacity, and no spare is
   * being built. When true, a build counts as in flight until {@link #spareBuilt} or {@link
   * #spareFailed}.
   */
  synchronized boolean startSpare() {
    if (retired || building || spares.size() >= capacity) {
      return false;
    }
    building = true;
    return true;
  }

  /**
   * Ends the spare build in flight with its decoder, kept as {@link #addNew} keeps one.
   *
   * @return whether the pool kept it
   */
  boolean spareBuilt(SphinxDecoder decoder) {
    synchronized (this) {
      building = false;
    }
    return addNew(decoder);
  }

  /** Ends the spare build in flight without a decoder. */
  synchronized void spareFailed() {
    building = false;
  }

  /** How many spares are ready. */
  synchronized int size() {
    return spares.size();
  }

  /** Frees the spares (each exactly once) and refuses every decoder from now on. */
  void retire() {
    List<SphinxDecoder> out;
    synchronized (this) {
      retired = true;
      out = new ArrayList<>(spares);
      spares.clear();
    }
    out.forEach(SphinxDecoder::free);
  }
}
