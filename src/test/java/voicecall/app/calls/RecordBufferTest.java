package voicecall.app.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class RecordBufferTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private final List<Boolean> retries = new CopyOnWriteArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final List<RecordBuffer<Integer>> opened = new ArrayList<>();

  @AfterEach
  void stop() {
    down.set(false);
    opened.forEach(b -> b.close(Duration.ofSeconds(1)));
    time.dispose();
  }

  private RecordBuffer<Integer> buffer(int capacity, int batchSize) {
    RecordBuffer<Integer> b =
        new RecordBuffer<>(
            "test.records",
            capacity,
            batchSize,
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            (batch, retry) ->
                Mono.defer(
                    () -> {
                      retries.add(retry);
                      if (down.get()) {
                        return Mono.error(new IllegalStateException("database down"));
                      }
                      if (batch.contains(-1)) {
                        return Mono.error(new IllegalArgumentException("bad record"));
                      }
                      batches.add(batch);
                      return Mono.empty();
                    }),
            e -> e instanceof IllegalArgumentException,
            time,
            meters);
    opened.add(b);
    return b;
  }

  private List<Integer> writtenInOrder() {
    return batches.stream().flatMap(List::stream).toList();
  }

  @Test
  void writesOnTheIntervalWhenNoBatchIsFull() {
    RecordBuffer<Integer> b = buffer(100, 10);
    b.offer(1);
    b.offer(2);
    time.advanceTimeBy(Duration.ofMillis(499));
    assertThat(batches).isEmpty();
    assertThat(b.buffered()).isEqualTo(2);

    time.advanceTimeBy(Duration.ofMillis(1));
    assertThat(batches).containsExactly(List.of(1, 2));
    assertThat(b.buffered()).isZero();
    assertThat(meters.counter("test.records.written").count()).isEqualTo(2);
    assertThat(meters.get("test.records.buffered").gauge().value()).isZero();
  }

  @Test
  void aFullBatchIsWrittenAtOnceInBatchesOfTheConfiguredSize() {
    RecordBuffer<Integer> b = buffer(100, 3);
    IntStream.rangeClosed(1, 7).forEach(b::offer);
    // no time has passed: the two full batches went at once, the rest waits for the tick
    assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6));
    time.advanceTimeBy(Duration.ofMillis(500));
    assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
    assertThat(retries).containsOnly(false);
  }

  @Test
  void recordsWaitWhileTheDatabaseIsDownAndArriveInOrderAfterRecovery() {
    RecordBuffer<Integer> b = buffer(100, 2);
    down.set(true);
    IntStream.rangeClosed(1, 5).forEach(b::offer);
    time.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(batches).isEmpty();
    assertThat(b.buffered()).isEqualTo(5);
    double failures = meters.counter("test.records.write.failures").count();
    // one attempt at once, then one per retry interval: not one per tick
    assertThat(failures).isEqualTo(1 + 10 / 2);

    down.set(false);
    // the retry at 12 s writes the failed batch and the full one behind it; the tick after, the
    // rest
    time.advanceTimeBy(Duration.ofMillis(2500));
    assertThat(writtenInOrder()).containsExactly(1, 2, 3, 4, 5);
    assertThat(b.buffered()).isZero();
    // the batch that failed is retried as such, flagged so the writer can make it idempotent
    assertThat(batches.get(0)).containsExactly(1, 2);
    assertThat(retries.get(retries.size() - 3)).isTrue();
    assertThat(b.droppedForOverflow()).isZero();
  }

  @Test
  void overflowIsDroppedAndCountedNeverQueued() {
    RecordBuffer<Integer> b = buffer(4, 100);
    down.set(true);
    int accepted = 0;
    for (int i = 1; i <= 10; i++) {
      if (b.offer(i)) {
        accepted++;
      }
    }
    time.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(accepted).isEqualTo(4);
    assertThat(b.buffered()).isEqualTo(4);
    assertThat(b.droppedForOverflow()).isEqualTo(6);
    assertThat(meters.counter("test.records.dropped", "reason", "overflow").count()).isEqualTo(6);

    down.set(false);
    time.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(writtenInOrder()).containsExactly(1, 2, 3, 4);
    // room again once written
    assertThat(b.offer(11)).isTrue();
  }

  @Test
  void aBatchTheDatabaseRejectsForGoodIsDroppedAndCountedAndTheRestFlows() {
    RecordBuffer<Integer> b = buffer(100, 2);
    b.offer(1);
    b.offer(-1);
    b.offer(3);
    time.advanceTimeBy(Duration.ofMillis(500));
    assertThat(writtenInOrder()).containsExactly(3);
    assertThat(b.droppedAsRejected()).isEqualTo(2);
    assertThat(meters.counter("test.records.dropped", "reason", "rejected").count()).isEqualTo(2);
    assertThat(b.buffered()).isZero();
  }

  @Test
  void closeWritesWhatWaits() {
    RecordBuffer<Integer> b = buffer(100, 50);
    b.offer(1);
    b.offer(2);
    b.close(Duration.ofSeconds(1));
    assertThat(writtenInOrder()).containsExactly(1, 2);
  }
}
