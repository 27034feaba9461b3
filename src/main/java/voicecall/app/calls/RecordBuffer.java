package voicecall.app.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A bounded buffer between the calls and the database. {@link #offer} never blocks and never waits
 * for the database: it queues the item, or drops it and counts it when {@code capacity} items are
 * already waiting. One writer loop writes the items in batches of at most {@code batchSize}, every
 * {@code flushInterval} or as soon as a batch is full, one batch at a time and in arrival order.
 *
 * <p>A failed batch stays at the front and is tried again after {@code retryInterval}, with {@code
 * retry=true} so the writer can make the repeat idempotent; the items keep counting against the
 * capacity until written. A batch the writer rejects for good ({@code permanent}) is dropped and
 * counted, so one bad record cannot block all the others.
 *
 * <p>Meters, under the given prefix: {@code .buffered} (gauge), {@code .written}, {@code .dropped}
 * (tag {@code reason}: {@code overflow} or {@code rejected}), {@code .write.failures} and {@code
 * .flush} (a timer of successful batch writes).
 *
 * @param <T> the item
 */
final class RecordBuffer<T> implements AutoCloseable {

  /** Writes one batch. */
  @FunctionalInterface
  interface Writer<T> {
    /**
     * Writes a batch.
     *
     * @param batch the items, in arrival order
     * @param retry whether this batch was tried before (it may be partly or fully stored)
     * @return completes when the batch is stored
     */
    Mono<Void> write(List<T> batch, boolean retry);
  }

  private static final Logger log = LoggerFactory.getLogger(RecordBuffer.class);

  private final int capacity;
  private final int batchSize;
  private final Duration retryInterval;
  private final Duration writeTimeout;
  private final Writer<T> writer;
  private final Predicate<Throwable> permanent;
  private final Scheduler scheduler;
  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger held = new AtomicInteger();
  private final Sinks.Many<Long> wakeUps = Sinks.many().multicast().directBestEffort();
  private final Counter written;
  private final Counter overflow;
  private final Counter rejected;
  private final Counter failures;
  private final Timer flushes;
  private final Disposable loop;

  // Touched only by the writer loop, one batch at a time.
  private @Nullable List<T> pending;
  private boolean pendingTried;
  private int attempts;
  private long retryAtMillis;

  RecordBuffer(
      String meterPrefix,
      int capacity,
      int batchSize,
      Duration flushInterval,
      Duration retryInterval,
      Duration writeTimeout,
      Writer<T> writer,
      Predicate<Throwable> permanent,
      Scheduler scheduler,
      MeterRegistry meters) {
    if (capacity < 1 || batchSize < 1) {
      throw new IllegalArgumentException("capacity and batch size must be at least 1");
    }
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.retryInterval = retryInterval;
    this.writeTimeout = writeTimeout;
    this.writer = writer;
    this.permanent = permanent;
    this.scheduler = scheduler;
    Gauge.builder(meterPrefix + ".buffered", held, AtomicInteger::get)
        .description("records waiting to be written")
        .register(meters);
    written =
        Counter.builder(meterPrefix + ".written")
            .description("records written to the database")
            .register(meters);
    overflow = dropped(meters, meterPrefix, "overflow");
    rejected = dropped(meters, meterPrefix, "rejected");
    failures =
        Counter.builder(meterPrefix + ".write.failures")
            .description("batch writes that failed and will be retried")
            .register(meters);
    flushes =
        Timer.builder(meterPrefix + ".flush")
            .description("time to write one batch")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(meters);
    // Ticks and wake-ups that arrive while a batch is being written are dropped: the running drain
    // keeps going while there is a full batch, and the next tick picks up the rest.
    loop =
        Flux.merge(
                1,
                Flux.interval(flushInterval, flushInterval, scheduler).onBackpressureDrop(),
                // a full batch is written on the buffer's scheduler, never on the offering thread
                wakeUps.asFlux().onBackpressureDrop().publishOn(scheduler, 1))
            .onBackpressureDrop()
            .concatMap(tick -> drain(), 1)
            .subscribe(v -> {}, e -> log.error("call record writer stopped", e));
  }

  private static Counter dropped(MeterRegistry meters, String prefix, String reason) {
    return Counter.builder(prefix + ".dropped")
        .tag("reason", reason)
        .description("records dropped: the buffer was full or the database refused them")
        .register(meters);
  }

  /**
   * Queues an item; never blocks.
   *
   * @param item the item
   * @return false when the buffer was full and the item was dropped (and counted)
   */
  boolean offer(T item) {
    int now = held.incrementAndGet();
    if (now > capacity) {
      held.decrementAndGet();
      overflow.increment();
      long dropped = (long) overflow.count();
      if (dropped == 1 || dropped % 1000 == 0) {
        log.warn(
            "call record buffer full ({} waiting): records are being dropped, {} so far",
            capacity,
            dropped);
      }
      return false;
    }
    queue.add(item);
    if (now % batchSize == 0) {
      Sinks.EmitResult unused = wakeUps.tryEmitNext(0L);
    }
    return true;
  }

  /** Returns the items waiting, the batch being written included. */
  int buffered() {
    return held.get();
  }

  /** Returns how many items were dropped because the buffer was full. */
  long droppedForOverflow() {
    return (long) overflow.count();
  }

  /** Returns how many items were dropped because the writer rejected them for good. */
  long droppedAsRejected() {
    return (long) rejected.count();
  }

  /** Returns how many items were written. */
  long written() {
    return (long) written.count();
  }

  /** Writes batches while full batches wait and the last write succeeded. */
  private Mono<Void> drain() {
    return Mono.defer(this::writeOne).repeat(() -> attempts == 0 && held.get() >= batchSize).then();
  }

  /** Writes the waiting items now, batch after batch, until none wait or a write fails. */
  private Mono<Void> drainAll() {
    AtomicInteger failuresBefore = new AtomicInteger(attempts);
    return Mono.defer(this::writeOne)
        .repeat(() -> attempts <= failuresBefore.get() && held.get() > 0)
        .then();
  }

  private Mono<Void> writeOne() {
    long now = scheduler.now(TimeUnit.MILLISECONDS);
    if (attempts > 0 && now < retryAtMillis) {
      return Mono.empty();
    }
    List<T> batch = pending;
    if (batch == null) {
      batch = new ArrayList<>(Math.min(batchSize, Math.max(1, held.get())));
      for (T item; batch.size() < batchSize && (item = queue.poll()) != null; ) {
        batch.add(item);
      }
      if (batch.isEmpty()) {
        return Mono.empty();
      }
      pending = batch;
    }
    List<T> current = batch;
    // a batch whose write was started before (failed, timed out or cancelled) may be stored
    boolean retry = pendingTried;
    pendingTried = true;
    long started = System.nanoTime();
    return Mono.defer(() -> writer.write(List.copyOf(current), retry))
        .timeout(writeTimeout, scheduler)
        .then(Mono.<Void>fromRunnable(() -> done(current, started)))
        .onErrorResume(e -> Mono.<Void>fromRunnable(() -> failed(current, e)));
  }

  private void done(List<T> batch, long startedNanos) {
    flushes.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    if (attempts > 0) {
      log.info("call records are being written again after {} failed attempt(s)", attempts);
    }
    finish(batch);
    written.increment(batch.size());
  }

  private void failed(List<T> batch, Throwable e) {
    if (permanent.test(e)) {
      log.error("{} call record(s) dropped: the database refused them", batch.size(), e);
      finish(batch);
      rejected.increment(batch.size());
      return;
    }
    failures.increment();
    attempts++;
    retryAtMillis = scheduler.now(TimeUnit.MILLISECONDS) + retryInterval.toMillis();
    if (attempts == 1 || attempts % 30 == 0) {
      log.warn(
          "writing {} call record(s) failed (attempt {}); {} wait, retrying every {}: {}",
          batch.size(),
          attempts,
          held.get(),
          retryInterval,
          e.toString());
    }
  }

  private void finish(List<T> batch) {
    pending = null;
    pendingTried = false;
    attempts = 0;
    held.addAndGet(-batch.size());
  }

  /**
   * Stops the writer loop, then writes what waits, waiting at most {@code timeout}. For shutdown,
   * on a thread that may block.
   *
   * @param timeout how long to wait for the last writes
   */
  void close(Duration timeout) {
    loop.dispose();
    retryAtMillis = 0;
    try {
      drainAll().block(timeout);
    } catch (RuntimeException e) {
      log.warn("writing the last call records at shutdown failed: {}", e.toString());
    }
    if (held.get() > 0) {
      log.warn("{} call record(s) were not written before shutdown", held.get());
    }
  }

  @Override
  public void close() {
    close(writeTimeout);
  }
}
