package voicecall.app.telephony.audiosocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.app.telephony.CallAnswering;
import voicecall.app.telephony.Goertzel;
import voicecall.app.telephony.GreetingChime;
import voicecall.app.telephony.TelephonyStack;
import voicecall.app.telephony.ToneGreeting;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;

/** Real calls over real sockets against the AudioSocket server with the tone greeting. */
class AudioSocketServerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private TelephonyStack stack = new TelephonyStack(new ToneGreeting());

  @AfterEach
  void stop() {
    stack.close();
  }

  private AudioSocketCaller dial(UUID id) {
    return connect(Pcm.silence(8000, 20), true);
  }

  private AudioSocketCaller connect(Pcm script, boolean sendAudio) {
    return Objects.requireNonNull(
        AudioSocketCaller.dial(
                stack.audioSocketAddress(), UUID.randomUUID(), script, sendAudio, stack.callers)
            .block(WAIT));
  }

  private static List<byte[]> pcm(List<ReceivedMessage> audio) {
    return audio.stream().map(r -> ((AudioSocketMessage.Audio) r.message()).pcm()).toList();
  }

  @Test
  void theGreetingIsHeardAsTwentyMillisecondFramesAtTheClocksPace() {
    AudioSocketCaller caller = dial(UUID.randomUUID());
    await().atMost(WAIT).until(() -> caller.audio().size() >= 75);
    List<ReceivedMessage> audio = caller.audio().subList(0, 75);
    assertThat(pcm(audio)).allMatch(p -> p.length == 320);
    // the 600 ms chime: 30 audible frames, then silence that keeps Asterisk's leg alive
    long audible = audio.stream().filter(ReceivedMessage::isAudible).count();
    assertThat(audible).isBetween(29L, 31L);
    assertThat(audio.get(0).isAudible()).isTrue();
    assertThat(audio.get(74).isAudible()).isFalse();
    // 74 intervals of 20 ms: the frames arrive paced, not in a burst
    double spanMillis = (audio.get(74).atNanos() - audio.get(0).atNanos()) / 1e6;
    assertThat(spanMillis).isBetween(74 * 20 * 0.8, 74 * 20 * 1.25);
    caller.hangUp().block(WAIT);
  }

  /**
   * What the load test relies on: when the caller finished saying something, when it heard sound
   * (the chime) and that nothing audible came after it, and that line noise goes under everything
   * it sends, speech and silence alike.
   */
  @Test
  void theCallerTimesItsSpeechAndTheSoundItHearsAndCanBeOnANoisyLine() {
    stack.close();
    AtomicInteger loudest = new AtomicInteger();
    CallAnswering listening =
        call -> {
          call.inbound()
              .subscribe(
                  f -> {
                    for (short x : f.samples()) {
                      loudest.accumulateAndGet(Math.abs(x), Math::max);
                    }
                  });
          return new ToneGreeting().answer(call);
        };
    stack = new TelephonyStack(listening);
    short[] said = new short[8000 * 3 / 10];
    Arrays.fill(said, (short) 100);
    long dialled = System.nanoTime();
    AudioSocketCaller caller = connect(new Pcm(8000, said), true);
    long saidAt = Objects.requireNonNull(caller.saidAt().block(WAIT));
    // 300 ms of speech goes out in 15 frames, one every 20 ms
    assertThat((saidAt - dialled) / 1e6).isBetween(14 * 20.0, 3000.0);

    // the 600 ms chime: sound heard after dialling, then nothing audible
    await().atMost(WAIT).until(() -> caller.audio().size() >= 75);
    long first = caller.firstAudibleAfter(dialled);
    long last = caller.lastAudibleAt();
    assertThat(first).isPositive();
    assertThat((last - first) / 1e6).isBetween(29 * 20 * 0.8, 29 * 20 * 1.25);
    assertThat(caller.firstAudibleAfter(last)).isEqualTo(-1);
    assertThat(caller.firstAudibleAfter(first - 1)).isEqualTo(first);
    assertThat(loudest).hasValue(100);

    // line noise of amplitude 1000 from now on, under the silence after the speech
    short[] noise = new short[800];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (short) (i % 2 == 0 ? 1000 : -1000);
    }
    caller.lineNoise(new Pcm(8000, noise));
    await().atMost(WAIT).until(() -> loudest.get() == 1000);
    caller.hangUp().block(WAIT);
  }

  @Test
  void dtmfKeysAreEchoedAsTheirTones() {
    AudioSocketCaller caller = dial(UUID.randomUUID());
    await().atMost(WAIT).until(() -> caller.audio().size() >= 40);
    int before = caller.audio().size();
    caller.pressKey('5');
    await().atMost(WAIT).until(() -> caller.audio().size() >= before + 20);
    byte[] echo = joinAudible(caller.audio().subList(before, caller.audio().size()));
    assertThat(echo.length).isBetween(7 * 320, 9 * 320);
    double five = Math.min(Goertzel.power(echo, 8000, 770), Goertzel.power(echo, 8000, 1336));
    double others = Goertzel.power(echo, 8000, 697) + Goertzel.power(echo, 8000, 1209);
    assertThat(five).isGreaterThan(others * 20);
    caller.hangUp().block(WAIT);
  }

  @Test
  void callerHangUpEndsTheCallAndFreesEverything() {
    AudioSocketCaller caller = dial(UUID.randomUUID());
    await().atMost(WAIT).until(() -> stack.registry.size() == 1 && !caller.audio().isEmpty());
    assertThat(stack.clock.activeCalls()).isEqualTo(1);
    caller.hangUp().block(WAIT);
    await().atMost(WAIT).until(() -> stack.registry.size() == 0 && stack.clock.activeCalls() == 0);
  }

  @Test
  void engineHangUpSendsTheHangupMessageAndCloses() {
    stack.close();
    CallAnswering goodbye = call -> call.play(new short[800]).then(Mono.fromRunnable(call::hangUp));
    stack = new TelephonyStack(goodbye);
    AudioSocketCaller caller = dial(UUID.randomUUID());
    caller.closed().block(WAIT);
    assertThat(caller.hangupReceived()).isTrue();
    assertThat(caller.audio()).hasSizeGreaterThanOrEqualTo(5);
    await().atMost(WAIT).until(() -> stack.registry.size() == 0);
  }

  @Test
  void sixteenKilohertzAudioMakesASixteenKilohertzCall() {
    AudioSocketCaller caller = connect(Pcm.silence(16000, 20), true);
    await().atMost(WAIT).until(() -> caller.audio().size() >= 5);
    assertThat(caller.audio())
        .allMatch(
            r ->
                ((AudioSocketMessage.Audio) r.message()).sampleRate() == 16000
                    && ((AudioSocketMessage.Audio) r.message()).pcm().length == 640);
    caller.hangUp().block(WAIT);
  }

  @Test
  void aCallerThatSendsNoAudioStillGetsFramesAtTheDefaultRate() {
    AudioSocketCaller quiet = connect(Pcm.silence(8000, 20), false);
    await().atMost(WAIT).until(() -> quiet.audio().size() >= 120);
    assertThat(quiet.isConnected()).isTrue();
    assertThat(pcm(quiet.audio())).allMatch(p -> p.length == 320);
    quiet.hangUp().block(WAIT);
  }

  @Test
  void garbageBeforeTheIdClosesOnlyThatConnection() {
    AudioSocketCaller good = dial(UUID.randomUUID());
    AudioSocketCaller bad = dial(UUID.randomUUID());
    // a second id on the same connection is a protocol error too
    bad.sendRaw(new byte[] {0x03, 0x00, 0x01, 'x'});
    bad.closed().block(WAIT);
    await().atMost(WAIT).until(() -> good.audio().size() >= 60);
    assertThat(good.isConnected()).isTrue();
    assertThat(stack.meters.counter("voicecall.telephony.protocol.errors").count()).isEqualTo(1);
    good.hangUp().block(WAIT);
  }

  @Test
  void thirtyConcurrentCallsEachHearTheirOwnAudioWhileSomeMisbehave() {
    List<AudioSocketCaller> callers =
        Objects.requireNonNull(
            Flux.range(0, 30)
                .flatMap(
                    i ->
                        AudioSocketCaller.dial(
                            stack.audioSocketAddress(),
                            UUID.randomUUID(),
                            Pcm.silence(8000, 20),
                            true,
                            stack.callers),
                    30)
                .collectList()
                .block(WAIT));
    assertThat(callers).hasSize(30);
    await().atMost(WAIT).until(() -> stack.registry.size() == 30);
    // 5 callers break the protocol in different ways; the other 25 press their own key
    char[] keys = "0123456789*#ABCD0123456789*#ABCD".toCharArray();
    for (int i = 0; i < 30; i++) {
      AudioSocketCaller c = callers.get(i);
      switch (i % 6) {
        case 0 -> c.sendRaw(new byte[] {0x10, 0x00, 0x03, 1, 2, 3}); // odd audio length
        default -> c.pressKey(keys[i]);
      }
    }
    List<AudioSocketCaller> good =
        IntStream.range(0, 30).filter(i -> i % 6 != 0).mapToObj(callers::get).toList();
    List<AudioSocketCaller> bad =
        IntStream.range(0, 30).filter(i -> i % 6 == 0).mapToObj(callers::get).toList();
    for (AudioSocketCaller b : bad) {
      b.closed().block(WAIT);
    }
    await().atMost(WAIT).until(() -> good.stream().allMatch(c -> c.audio().size() >= 100));
    for (int i = 0; i < 30; i++) {
      if (i % 6 == 0) {
        continue;
      }
      AudioSocketCaller c = callers.get(i);
      assertThat(c.isConnected()).isTrue();
      List<ReceivedMessage> audio = c.audio();
      int chime = GreetingChime.start(audio, stack.meters);
      // frames never come in a burst: 99 intervals span about 99 ticks
      double span = (audio.get(99).atNanos() - audio.get(0).atNanos()) / 1e6;
      assertThat(span).as("call %d cadence", i).isBetween(99 * 20 * 0.8, 99 * 20 * 1.25);
      byte[] echo = joinAudible(audio.subList(chime + 31, audio.size()));
      assertThat(echo.length).as("call %d echo", i).isGreaterThan(0);
      assertThat(strongestKey(echo)).as("call %d hears its own key", i).isEqualTo(keys[i]);
    }
    assertThat(stack.registry.size()).isEqualTo(25);
    Flux.fromIterable(good).flatMap(AudioSocketCaller::hangUp).blockLast(WAIT);
    await().atMost(WAIT).until(() -> stack.registry.size() == 0 && stack.clock.activeCalls() == 0);
  }

  @Test
  void aStalledReaderLosesItsOwnFramesWithoutSlowingOtherCalls() {
    AudioSocketCaller stalled =
        Objects.requireNonNull(
            AudioSocketCaller.dial(
                    stack.audioSocketAddress(),
                    UUID.randomUUID(),
                    Pcm.silence(8000, 20),
                    true,
                    stack.callers,
                    4096)
                .block(WAIT));
    AudioSocketCaller good = dial(UUID.randomUUID());
    await().atMost(WAIT).until(() -> !stalled.audio().isEmpty() && !good.audio().isEmpty());
    stalled.stopReading();
    await()
        .atMost(WAIT)
        .until(() -> stack.meters.counter("voicecall.audio.frames.dropped").count() >= 50);
    int from = good.audio().size();
    await().atMost(WAIT).until(() -> good.audio().size() >= from + 100);
    List<ReceivedMessage> window = good.audio().subList(from, from + 100);
    double span = (window.get(99).atNanos() - window.get(0).atNanos()) / 1e6;
    assertThat(span).isBetween(99 * 20 * 0.8, 99 * 20 * 1.25);
    assertThat(stack.registry.size()).isEqualTo(2);
    stalled.hangUp().block(WAIT);
    good.hangUp().block(WAIT);
    await().atMost(WAIT).until(() -> stack.registry.size() == 0);
  }

  @Test
  void aThousandCallsLeaveNothingBehind() {
    // 20 at a time so the run takes seconds, not minutes; each call connects, hears its first
    // frame and hangs up
    Long calls =
        stack
            .dialMany(1000, 20)
            .flatMap(c -> c.firstAudio().then(c.hangUp()).thenReturn(1), 20)
            .count()
            // a hang guard, not a speed check: on a loaded 2-core machine this took over 60 s
            .block(Duration.ofMinutes(5));
    assertThat(calls).isEqualTo(1000);
    // a failed connect is the client's, not a call; it must stay rare
    assertThat(stack.connectRetries.get()).isLessThan(10);
    await().atMost(WAIT).until(() -> stack.registry.size() == 0 && stack.clock.activeCalls() == 0);
    assertThat(stack.meters.counter("voicecall.audio.frames.out", "content", "audio").count())
        .isGreaterThanOrEqualTo(1000);
    assertThat(stack.meters.counter("voicecall.telephony.protocol.errors").count()).isZero();
  }

  private static byte[] joinAudible(List<ReceivedMessage> audio) {
    List<byte[]> parts = new ArrayList<>();
    for (ReceivedMessage r : audio) {
      if (r.isAudible()) {
        parts.add(((AudioSocketMessage.Audio) r.message()).pcm());
      }
    }
    byte[] out = new byte[parts.stream().mapToInt(p -> p.length).sum()];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  private static char strongestKey(byte[] pcm) {
    String keys = "123A456B789C*0#D";
    int[] low = {697, 770, 852, 941};
    int[] high = {1209, 1336, 1477, 1633};
    double[] lowP = Arrays.stream(low).mapToDouble(f -> Goertzel.power(pcm, 8000, f)).toArray();
    double[] highP = Arrays.stream(high).mapToDouble(f -> Goertzel.power(pcm, 8000, f)).toArray();
    return keys.charAt(argmax(lowP) * 4 + argmax(highP));
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
