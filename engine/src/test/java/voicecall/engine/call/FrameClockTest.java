package voicecall.engine.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;
import voicecall.engine.audio.AudioFrame;

class FrameClockTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final Counting metrics = new Counting();
  private final FrameClock clock = FrameClock.start(time, metrics);

  @AfterEach
  void stop() {
    clock.dispose();
    time.dispose();
  }

  private static AudioFrame tone(int value) {
    short[] pcm = new short[160];
    java.util.Arrays.fill(pcm, (short) value);
    return AudioFrame.of(pcm, 8000, 0);
  }

  private Call attach(String id, List<AudioFrame> sent) {
    Call call = Call.open(id, "en", 8000, 4, time);
    clock.attach(call, sent::add);
    return call;
  }

  private void ticks(int n) {
    time.advanceTimeBy(Duration.ofMillis(20L * n));
  }

  @Test
  void aCallWithNothingToSayGetsASilenceFrameEveryTick() {
    List<AudioFrame> sent = new ArrayList<>();
    attach("quiet", sent);
    ticks(150);
    assertThat(sent).hasSize(150).allMatch(f -> f.peak() == 0 && f.sampleCount() == 160);
    assertThat(metrics.silence.get()).isEqualTo(150);
  }

  @Test
  void queuedAudioLeavesOneFramePerTickInOrder() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("talker", sent);
    AtomicBoolean done = new AtomicBoolean();
    call.play(Flux.range(1, 10).map(FrameClockTest::tone))
        .subscribe(v -> {}, e -> {}, () -> done.set(true));
    ticks(1);
    assertThat(sent).extracting(f -> (int) f.sample(0)).containsExactly(1);
    ticks(8);
    assertThat(done).isFalse();
    ticks(1);
    assertThat(sent)
        .extracting(f -> (int) f.sample(0))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    ticks(1);
    assertThat(done).as("completes once its last frame went out").isTrue();
    assertThat(sent.get(10).peak()).isZero();
  }

  @Test
  void theSourceIsPulledOnlyAsFastAsTheClockPlays() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("bounded", sent);
    AtomicLong requested = new AtomicLong();
    call.play(Flux.range(1, 1000).map(FrameClockTest::tone).doOnRequest(requested::addAndGet))
        .subscribe();
    assertThat(requested.get()).isEqualTo(4);
    assertThat(call.queuedOutboundFrames()).isEqualTo(4);
    ticks(10);
    assertThat(requested.get()).isEqualTo(14);
    assertThat(call.queuedOutboundFrames()).isEqualTo(4);
  }

  @Test
  void playbacksFollowEachOther() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("queue", sent);
    call.play(Flux.just(tone(1), tone(2))).subscribe();
    call.play(Flux.just(tone(3))).subscribe();
    ticks(4);
    assertThat(sent).extracting(f -> (int) f.sample(0)).containsExactly(1, 2, 3, 0);
  }

  @Test
  void clearingStopsTheAudioWithinOneTick() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("barge-in", sent);
    AtomicBoolean done = new AtomicBoolean();
    call.play(Flux.range(1, 100).map(FrameClockTest::tone))
        .subscribe(v -> {}, e -> {}, () -> done.set(true));
    call.play(Flux.just(tone(7))).subscribe();
    ticks(3);
    call.clearOutbound();
    ticks(1);
    assertThat(sent).extracting(f -> (int) f.sample(0)).containsExactly(1, 2, 3, 0);
    assertThat(done).isTrue();
    assertThat(call.queuedOutboundFrames()).isZero();
    call.play(Flux.just(tone(9))).subscribe();
    ticks(1);
    assertThat(sent.get(4).sample(0))
        .as("a new playback after the clear plays")
        .isEqualTo((short) 9);
  }

  @Test
  void cancellingOnePlaybackSilencesOnlyItsFrames() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("switch", sent);
    reactor.core.Disposable first =
        call.play(Flux.range(1, 100).map(FrameClockTest::tone)).subscribe();
    ticks(2);
    first.dispose();
    call.play(Flux.just(tone(42))).subscribe();
    ticks(2);
    assertThat(sent).extracting(f -> (int) f.sample(0)).containsExactly(1, 2, 42, 0);
  }

  @Test
  void longFramesAreCutIntoTwentyMillisecondFrames() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("long", sent);
    call.play(new short[8000]).subscribe();
    ticks(51);
    assertThat(sent).hasSize(51).allMatch(f -> f.sampleCount() == 160);
  }

  @Test
  void audioAtTheWrongRateIsAnErrorForThatPlaybackOnly() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("wrong-rate", sent);
    AtomicReferenceHolder error = new AtomicReferenceHolder();
    call.play(Flux.just(AudioFrame.silence(16000, 20, 0))).subscribe(v -> {}, error::set);
    call.play(Flux.just(tone(5))).subscribe();
    ticks(1);
    assertThat(error.message).contains("16000 Hz");
    assertThat(sent.get(0).sample(0)).isEqualTo((short) 5);
  }

  @Test
  void aFailingTransportEndsOnlyItsOwnCall() {
    List<AudioFrame> good = new ArrayList<>();
    Call healthy = attach("healthy", good);
    Call broken = Call.open("broken", "en", 8000, time);
    AtomicInteger calls = new AtomicInteger();
    clock.attach(
        broken,
        f -> {
          if (calls.incrementAndGet() == 3) {
            throw new IllegalStateException("socket exploded");
          }
          return true;
        });
    ticks(10);
    assertThat(broken.isActive()).isFalse();
    assertThat(broken.ended().block(Duration.ZERO)).isEqualTo(HangupCause.FAILURE);
    assertThat(healthy.isActive()).isTrue();
    assertThat(good).hasSize(10);
    assertThat(clock.activeCalls()).isEqualTo(1);
  }

  @Test
  void aRefusedFrameIsDroppedAndCounted() {
    Call call = Call.open("stalled", "en", 8000, time);
    clock.attach(call, f -> false);
    call.play(Flux.just(tone(1), tone(2))).subscribe();
    ticks(3);
    assertThat(metrics.dropped.get()).isEqualTo(3);
    assertThat(call.queuedOutboundFrames()).isZero();
  }

  @Test
  void anEndedCallLeavesTheClockAndItsPlaybacksComplete() {
    List<AudioFrame> sent = new ArrayList<>();
    Call call = attach("bye", sent);
    AtomicBoolean done = new AtomicBoolean();
    call.play(Flux.range(1, 100).map(FrameClockTest::tone))
        .subscribe(v -> {}, e -> {}, () -> done.set(true));
    ticks(2);
    call.end(HangupCause.CALLER);
    ticks(5);
    assertThat(sent).hasSize(2);
    assertThat(done).isTrue();
    assertThat(clock.activeCalls()).isZero();
    AtomicBoolean late = new AtomicBoolean();
    call.play(Flux.just(tone(1))).subscribe(v -> {}, e -> {}, () -> late.set(true));
    assertThat(late).as("playing on an ended call completes at once").isTrue();
  }

  @Test
  void ticksReportTheirLatenessAndTheCallCount() {
    attach("a", new ArrayList<>());
    attach("b", new ArrayList<>());
    ticks(5);
    assertThat(metrics.ticks).hasSize(4).allMatch(l -> l == 0L);
    assertThat(metrics.lastCalls.get()).isEqualTo(2);
  }

  @Test
  void disposingTheClockEndsItsCalls() {
    Call call = attach("shutdown", new ArrayList<>());
    clock.dispose();
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.SHUTDOWN);
    assertThat(clock.isDisposed()).isTrue();
  }

  private static final class AtomicReferenceHolder {
    volatile String message = "";

    void set(Throwable t) {
      message = String.valueOf(t.getMessage());
    }
  }

  private static final class Counting implements ClockMetrics {
    final List<Long> ticks = new CopyOnWriteArrayList<>();
    final AtomicInteger lastCalls = new AtomicInteger();
    final AtomicInteger silence = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    @Override
    public void tick(long latenessNanos, int activeCalls) {
      ticks.add(latenessNanos);
      lastCalls.set(activeCalls);
    }

    @Override
    public void frameSent(boolean isSilence) {
      if (isSilence) {
        silence.incrementAndGet();
      }
    }

    @Override
    public void frameDropped() {
      dropped.incrementAndGet();
    }
  }
}
