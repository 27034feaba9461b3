package voicecall.engine.call;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import voicecall.engine.audio.AudioFrame;

/**
 * A call's outbound audio: playbacks wait in line, the one in front is pulled into a bounded frame
 * queue only as fast as the frame clock drains it (backpressure, never a burst), and {@link
 * #clear()} drops everything at once so the next tick is silence.
 *
 * <p>Several threads touch it: producers deliver frames on their own threads, the clock polls on
 * its thread, and anyone may clear. Playback switching runs in a serialised drain loop.
 */
final class OutboundAudio {

  private final int capacity;
  private final int frameMillis;
  private final int sampleRate;
  private final Queue<Object> entries = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedFrames = new AtomicInteger();
  private final Queue<Playback> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean clearRequested = new AtomicBoolean();
  private volatile boolean closed;
  private @Nullable Playback active;

  OutboundAudio(int capacity, int sampleRate, int frameMillis) {
    if (capacity < 1) {
      throw new IllegalArgumentException("outbound capacity must be at least 1 frame");
    }
    this.capacity = capacity;
    this.sampleRate = sampleRate;
    this.frameMillis = frameMillis;
  }

  Mono<Void> play(Publisher<AudioFrame> source) {
    return Mono.create(
        sink -> {
          if (closed) {
            sink.success();
            return;
          }
          Playback p = new Playback(source, sink);
          sink.onCancel(p::cancel);
          pending.add(p);
          drain();
        });
  }

  /** The next frame to send, or null when nothing is queued. Called by the frame clock. */
  @Nullable AudioFrame poll() {
    Object e;
    while ((e = entries.poll()) != null) {
      if (e instanceof Queued q) {
        queuedFrames.decrementAndGet();
        drain();
        if (q.owner().cancelled) {
          continue;
        }
        return q.frame();
      }
      ((Runnable) e).run();
    }
    return null;
  }

  int queuedFrames() {
    return queuedFrames.get();
  }

  void clear() {
    clearRequested.set(true);
    drain();
  }

  void close() {
    closed = true;
    clear();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (clearRequested.getAndSet(false)) {
        Playback current = active;
        active = null;
        if (current != null) {
          current.cancel();
        }
        Playback p;
        while ((p = pending.poll()) != null) {
          p.cancel();
        }
        while (entries.poll() != null) {
          // dropped: a clear stops the audio that was queued
        }
        queuedFrames.set(0);
      }
      Playback current = active;
      if (current == null || current.done) {
        current = pending.poll();
        active = current;
        if (current != null) {
          current.start();
        }
      }
      if (current != null && current.subscription.get() != null && !current.done) {
        long want = capacity - queuedFrames.get() - current.outstanding.get();
        if (want > 0) {
          current.outstanding.addAndGet(want);
          current.request(want);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private final class Playback implements CoreSubscriber<AudioFrame> {
    final Publisher<AudioFrame> source;
    final MonoSink<Void> sink;
    final AtomicReference<@Nullable Subscription> subscription = new AtomicReference<>();
    final AtomicLong outstanding = new AtomicLong();
    volatile boolean done;
    volatile boolean cancelled;
    long nextTimestamp;

    Playback(Publisher<AudioFrame> source, MonoSink<Void> sink) {
      this.source = source;
      this.sink = sink;
    }

    void start() {
      if (!cancelled) {
        source.subscribe(this);
      }
    }

    void request(long n) {
      Subscription s = subscription.get();
      if (s != null) {
        s.request(n);
      }
    }

    void cancel() {
      cancelled = true;
      done = true;
      Subscription s = subscription.getAndSet(CancelledSubscription.INSTANCE);
      if (s != null) {
        s.cancel();
      }
      sink.success();
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (!subscription.compareAndSet(null, s)) {
        s.cancel();
        return;
      }
      drain();
    }

    @Override
    public void onNext(AudioFrame frame) {
      if (cancelled) {
        outstanding.decrementAndGet();
        return;
      }
      if (frame.sampleRate() != sampleRate) {
        outstanding.decrementAndGet();
        fail(
            new IllegalArgumentException(
                "a call at " + sampleRate + " Hz cannot play " + frame.sampleRate() + " Hz audio"));
        return;
      }
      // Re-frame to the clock's frame length; a frame longer than one tick becomes several. Each
      // part is counted as queued before it is queued, and the frame stops counting as requested
      // only after that: a drain on the clock thread in between then sees the frame counted once
      // or twice (it requests less, made up at the next tick), never not at all (it would request
      // one too many and the queue would pass its capacity).
      for (AudioFrame part : frame.split(frameMillis)) {
        queuedFrames.incrementAndGet();
        entries.add(new Queued(part.at(nextTimestamp), this));
        nextTimestamp += frameMillis;
      }
      outstanding.decrementAndGet();
    }

    private void fail(Throwable error) {
      cancelled = true;
      done = true;
      Subscription s = subscription.getAndSet(CancelledSubscription.INSTANCE);
      if (s != null) {
        s.cancel();
      }
      sink.error(error);
      drain();
    }

    @Override
    public void onError(Throwable t) {
      if (cancelled) {
        return;
      }
      done = true;
      sink.error(t);
      drain();
    }

    @Override
    public void onComplete() {
      if (cancelled) {
        return;
      }
      done = true;
      entries.add((Runnable) sink::success);
      drain();
    }
  }

  /** A frame in the queue, with the playback it belongs to so a cancelled playback goes quiet. */
  private record Queued(AudioFrame frame, Playback owner) {}

  private enum CancelledSubscription implements Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
