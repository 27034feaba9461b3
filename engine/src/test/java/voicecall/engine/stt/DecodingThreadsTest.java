package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecodingThreadsTest {

  @Test
  void aHurriedLaneGoesAheadOfLanesThatWereWaitingLonger() throws InterruptedException {
    DecodingThreads threads = new DecodingThreads(1, "stt-test");
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      DecodingThreads.Lane busy = threads.lane();
      busy.execute(
          () -> {
            started.countDown();
            awaitQuietly(release);
          });
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

      DecodingThreads.Lane frames1 = threads.lane();
      DecodingThreads.Lane frames2 = threads.lane();
      DecodingThreads.Lane ending = threads.lane();
      DecodingThreads.Lane later = threads.lane();
      frames1.execute(() -> order.add("frames1"));
      frames2.execute(() -> order.add("frames2"));
      ending.execute(() -> order.add("ending: last frame"));
      ending.hurry(); // waiting for the thread: moves ahead
      ending.execute(() -> order.add("ending: finish"));
      later.hurry(); // hurried before its first task: its turn is queued ahead too
      later.execute(() -> order.add("later"));
      CountDownLatch done = new CountDownLatch(1);
      frames2.execute(done::countDown);

      release.countDown();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(order)
          .containsExactly("ending: last frame", "ending: finish", "later", "frames1", "frames2");
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void aRelaxedLaneWaitsItsTurnAgain() throws InterruptedException {
    DecodingThreads threads = new DecodingThreads(1, "stt-test");
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      threads
          .lane()
          .execute(
              () -> {
                started.countDown();
                awaitQuietly(release);
              });
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      DecodingThreads.Lane first = threads.lane();
      DecodingThreads.Lane second = threads.lane();
      second.hurry();
      second.relax();
      first.execute(() -> order.add("first"));
      CountDownLatch done = new CountDownLatch(1);
      second.execute(
          () -> {
            order.add("second");
            done.countDown();
          });
      release.countDown();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(order).containsExactly("first", "second");
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void aLaneRunsItsTasksInOrderAndNeverTwoAtOnceOnManyThreads() throws InterruptedException {
    DecodingThreads threads = new DecodingThreads(4, "stt-test");
    try {
      int lanes = 8;
      int tasks = 2000;
      CountDownLatch done = new CountDownLatch(lanes);
      AtomicInteger overlaps = new AtomicInteger();
      List<List<Integer>> seen = new ArrayList<>();
      for (int l = 0; l < lanes; l++) {
        DecodingThreads.Lane lane = threads.lane();
        List<Integer> out = new ArrayList<>();
        seen.add(out);
        AtomicInteger inside = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
          int n = i;
          if (i % 100 == 0) {
            lane.hurry();
          } else if (i % 100 == 50) {
            lane.relax();
          }
          lane.execute(
              () -> {
                if (inside.incrementAndGet() != 1) {
                  overlaps.incrementAndGet();
                }
                out.add(n); // unsynchronised on purpose: the lane is the only writer
                inside.decrementAndGet();
                if (n == tasks - 1) {
                  done.countDown();
                }
              });
        }
      }
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps).hasValue(0);
      for (List<Integer> out : seen) {
        assertThat(out).hasSize(tasks).isSorted();
      }
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void aFailingTaskLeavesTheLaneWorking() throws InterruptedException {
    DecodingThreads threads = new DecodingThreads(1, "stt-test");
    try {
      DecodingThreads.Lane lane = threads.lane();
      CountDownLatch after = new CountDownLatch(1);
      Thread.UncaughtExceptionHandler quiet = (t, e) -> {};
      lane.execute(
          () -> {
            Thread.currentThread().setUncaughtExceptionHandler(quiet);
            throw new IllegalStateException("boom");
          });
      lane.execute(after::countDown);
      assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void afterShutdownNewWorkIsRejected() {
    DecodingThreads threads = new DecodingThreads(1, "stt-test");
    threads.shutdown();
    assertThatThrownBy(() -> threads.lane().execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
