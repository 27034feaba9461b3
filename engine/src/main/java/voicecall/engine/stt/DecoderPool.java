package voicecall.engine.stt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The idle decoders of one acoustic model of one knowledge version. Decoders that sessions give
 * back are taken again first, most recent first, so a call gets a decoder with the same history
 * whatever the timing of spare decoders built in the background, which come after them. At most
 * {@code capacity} decoders are kept: one more given back is refused, and the caller frees it. A
 * retired pool (its version replaced, or the recogniser closed) frees what it holds and refuses
 * every decoder after that, so none is left behind by a session or a build that finishes late.
 */
final class DecoderPool {

  private final int capacity;
  private final Deque<SphinxDecoder> idle = new ArrayDeque<>();
  private boolean building;
  private boolean retired;

  /**
   * @param capacity how many idle decoders the pool keeps
   */
  DecoderPool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** The most recently given back decoder, else a spare, else null. */
  synchronized @Nullable SphinxDecoder take() {
    return idle.pollFirst();
  }

  /**
   * Keeps a decoder a session used.
   *
   * @return false when the pool is full or retired: the caller frees the decoder
   */
  synchronized boolean giveBack(SphinxDecoder decoder) {
    if (retired || idle.size() >= capacity) {
      return false;
    }
    idle.addFirst(decoder);
    return true;
  }

  /**
   * Keeps a new decoder, after the used ones.
   *
   * @return false when the pool is full or retired: the caller frees the decoder
   */
  synchronized boolean addNew(SphinxDecoder decoder) {
    if (retired || idle.size() >= capacity) {
      return false;
    }
    idle.addLast(decoder);
    return true;
  }

  /**
   * Whether a spare decoder should be built now: the pool is empty, live, and no spare is being
   * built. When true, a build counts as in flight until {@link #spareBuilt} or {@link
   * #spareFailed}.
   */
  synchronized boolean startSpare() {
    if (retired || building || !idle.isEmpty()) {
      return false;
    }
    building = true;
    return true;
  }

  /**
   * Ends the spare build in flight with its decoder.
   *
   * @return false when the pool is full or retired: the caller frees the decoder
   */
  synchronized boolean spareBuilt(SphinxDecoder decoder) {
    building = false;
    return addNew(decoder);
  }

  /** Ends the spare build in flight without a decoder. */
  synchronized void spareFailed() {
    building = false;
  }

  /** How many decoders are idle. */
  synchronized int size() {
    return idle.size();
  }

  /** Frees the idle decoders (each exactly once) and refuses every decoder from now on. */
  void retire() {
    List<SphinxDecoder> out;
    synchronized (this) {
      retired = true;
      out = new ArrayList<>(idle);
      idle.clear();
    }
    out.forEach(SphinxDecoder::free);
  }
}
