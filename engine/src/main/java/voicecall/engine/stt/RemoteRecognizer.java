package voicecall.engine.stt;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * An OpenAI-compatible transcription endpoint over the JDK's asynchronous HTTP client: no thread
 * waits for the server. A session collects the utterance's frames (bounded by {@code maxAudio}) and
 * posts them as one WAV at the call's rate when the utterance ends. Cancelling the {@code Mono}
 * cancels the request.
 */
final class RemoteRecognizer implements Recognizer {

  private static final int MAX_ERROR_BODY_CHARS = 200;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");

  /** Whisper's own rule for a segment that is silence rather than speech. */
  private static final double NO_SPEECH_PROB = 0.6;

  private static final double NO_SPEECH_LOGPROB = -1.0;

  private final RemoteRecognizerConfig config;
  private final URI endpoint;
  private final HttpClient client;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  RemoteRecognizer(RemoteRecognizerConfig config) {
    this.config = config;
    String base = config.baseUrl().toString();
    this.endpoint =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/v1/audio/transcriptions");
    this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  private String name() {
    return "remote recogniser " + endpoint.getHost();
  }

  @Override
  public Mono<RecognitionSession> open() {
    return Mono.fromCallable(
        () -> {
          if (closed.get()) {
            throw new RecognitionException(
                RecognitionException.Reason.CLOSED, name() + " is closed", null);
          }
          return new Session();
        });
  }

  @Override
  public void close() {
    closed.set(true);
  }

  private final class Session implements RecognitionSession {
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();

    @Override
    public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
      return Mono.defer(
          () -> {
            if (done.get() || closed.get()) {
              return Mono.error(
                  new RecognitionException(
                      RecognitionException.Reason.CLOSED, "recognition session is closed", null));
            }
            if (!busy.compareAndSet(false, true)) {
              return Mono.error(
                  new IllegalStateException("an utterance of this call is still being recognised"));
            }
            Collected collected = new Collected(config.maxAudio());
            return utterance
                .doOnNext(collected::add)
                .then(Mono.defer(() -> transcribe(collected.audio())))
                // free before the transcript is passed on: its receiver may start the next one
                .doOnEach(
                    signal -> {
                      if (!signal.isOnSubscribe()) {
                        busy.set(false);
                      }
                    })
                .doOnCancel(() -> busy.set(false));
          });
    }

    @Override
    public void close() {
      done.set(true);
    }
  }

  private Mono<Transcript> transcribe(PcmAudio audio) {
    if (audio.length() == 0) {
      return Mono.just(
          new Transcript("", 0, 0, List.of(), List.of(), Duration.ZERO, Duration.ZERO));
    }
    if (inFlight.incrementAndGet() > config.maxConcurrentRequests()) {
      inFlight.decrementAndGet();
      return Mono.error(
          new RecognitionException(
              RecognitionException.Reason.BUSY,
              name()
                  + " has "
                  + config.maxConcurrentRequests()
                  + " requests in flight already; this utterance is not sent",
              null));
    }
    long start = System.nanoTime();
    HttpRequest request = request(audio);
    // The slot is freed before the transcript or error is passed on (doFinally would free it
    // after), so whoever receives it can send the next request at once.
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable free =
        () -> {
          if (held.compareAndSet(true, false)) {
            inFlight.decrementAndGet();
          }
        };
    return Mono.fromFuture(
            () -> client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()), false)
        .timeout(config.timeout())
        .map(response -> transcript(response, audio, Duration.ofNanos(System.nanoTime() - start)))
        .onErrorMap(e -> !(e instanceof RecognitionException), this::classify)
        .doOnEach(
            signal -> {
              if (!signal.isOnSubscribe()) {
                free.run();
              }
            })
        .doOnCancel(free);
  }

  private RecognitionException classify(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && !(cause instanceof HttpTimeoutException || cause instanceof TimeoutException)) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return new RecognitionException(
          RecognitionException.Reason.TIMEOUT,
          name() + " timed out after " + config.timeout().toMillis() + " ms",
          e);
    }
    if (cause instanceof ConnectException) {
      return new RecognitionException(
          RecognitionException.Reason.CONNECTION, name() + " is unreachable: " + cause, e);
    }
    return new RecognitionException(
        RecognitionException.Reason.CONNECTION, name() + " failed: " + e, e);
  }

  private HttpRequest request(PcmAudio audio) {
    String boundary = "voicecall-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<byte[]> parts = new ArrayList<>();
    parts.add(
        ascii(
            "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"utterance.wav\""
                + "\r\nContent-Type: audio/wav\r\n\r\n"));
    parts.add(Wav.encode(audio));
    parts.add(ascii("\r\n"));
    parts.add(field(boundary, "model", config.model()));
    String language = config.language();
    if (language != null) {
      parts.add(field(boundary, "language", language));
    }
    parts.add(field(boundary, "response_format", config.verbose() ? "verbose_json" : "json"));
    parts.add(ascii("--" + boundary + "--\r\n"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(config.timeout())
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(concat(parts)));
    String apiKey = config.apiKey();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return request.build();
  }

  /**
   * One array, so the body leaves in as few writes as possible: a body in several small writes
   * waits on Nagle's algorithm and the server's delayed ACK (~40 ms measured on localhost).
   */
  private static byte[] concat(List<byte[]> parts) {
    int size = 0;
    for (byte[] p : parts) {
      size += p.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static byte[] field(String boundary, String name, String value) {
    return ("--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\n\r\n"
            + value
            + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private Transcript transcript(HttpResponse<byte[]> response, PcmAudio audio, Duration took) {
    if (response.statusCode() != 200) {
      String detail = new String(response.body(), StandardCharsets.UTF_8).strip();
      if (detail.length() > MAX_ERROR_BODY_CHARS) {
        detail = detail.substring(0, MAX_ERROR_BODY_CHARS) + "…";
      }
      throw new RecognitionException(
          RecognitionException.Reason.HTTP_STATUS,
          name() + " answered HTTP " + response.statusCode() + ": " + detail,
          null);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (JacksonException e) {
      throw malformed("the body is not JSON (" + e.getOriginalMessage() + ")", e);
    }
    JsonNode text = body == null ? null : body.get("text");
    if (text == null || !text.isString()) {
      throw malformed("no \"text\" string in the answer", null);
    }
    Heard heard = heard(body.get("segments"));
    String words = heard.silent ? "" : normalise(text.asString());
    double confidence = words.isEmpty() ? 0 : heard.confidence;
    return new Transcript(words, 0, confidence, List.of(), List.of(), audio.duration(), took);
  }

  private RecognitionException malformed(String what, @Nullable Throwable e) {
    return new RecognitionException(
        RecognitionException.Reason.MALFORMED_RESPONSE, name() + " answered badly: " + what, e);
  }

  /** What the segments of a {@code verbose_json} answer say about the text. */
  private record Heard(double confidence, boolean silent) {}

  /**
   * The confidence from {@code verbose_json} segments: the mean over segments, weighted by their
   * length, of {@code exp(avg_logprob) · (1 − no_speech_prob)}; 1 when the server sent no segments
   * (plain {@code json}: it reports no confidence, so the text is taken as heard). Silent when
   * every segment is silence by Whisper's own rule.
   */
  static Heard heard(@Nullable JsonNode segments) {
    if (segments == null || !segments.isArray() || segments.isEmpty()) {
      return new Heard(1, false);
    }
    double weighted = 0;
    double weights = 0;
    boolean allSilent = true;
    for (JsonNode s : segments) {
      JsonNode logprob = s.get("avg_logprob");
      JsonNode noSpeech = s.get("no_speech_prob");
      if (logprob == null || !logprob.isNumber()) {
        throw new RecognitionException(
            RecognitionException.Reason.MALFORMED_RESPONSE,
            "a segment has no numeric avg_logprob: " + s,
            null);
      }
      double lp = Math.min(0, logprob.asDouble());
      double ns =
          noSpeech != null && noSpeech.isNumber()
              ? Math.max(0, Math.min(1, noSpeech.asDouble()))
              : 0;
      double length = span(s);
      weighted += length * Math.exp(lp) * (1 - ns);
      weights += length;
      if (!(ns > NO_SPEECH_PROB && lp < NO_SPEECH_LOGPROB)) {
        allSilent = false;
      }
    }
    return new Heard(Math.max(0, Math.min(1, weighted / weights)), allSilent);
  }

  private static double span(JsonNode segment) {
    JsonNode start = segment.get("start");
    JsonNode end = segment.get("end");
    if (start != null && end != null && start.isNumber() && end.isNumber()) {
      return Math.max(0.01, end.asDouble() - start.asDouble());
    }
    return 1;
  }

  /** Lower case words of any script, separated by single spaces; punctuation dropped. */
  static String normalise(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringJoiner out = new StringJoiner(" ");
    Arrays.stream(NOT_WORD.split(t.replace('’', '\'')))
        .map(w -> w.replaceAll("^'+|'+$", ""))
        .filter(w -> !w.isEmpty())
        .forEach(out::add);
    return out.toString();
  }

  /** The frames of one utterance, all at one rate, up to a length limit. */
  private static final class Collected {
    private final Duration max;
    private short[] samples = new short[0];
    private int length;
    private int rate;
    private long limit;

    Collected(Duration max) {
      this.max = max;
    }

    void add(PcmAudio frame) {
      if (rate == 0) {
        rate = frame.sampleRate();
        if (rate < 8000 || rate > 48000) {
          throw new RecognitionException(
              RecognitionException.Reason.BAD_AUDIO,
              "recognition needs 8000 to 48000 Hz audio, got " + rate + " Hz",
              null);
        }
        limit = max.toMillis() * rate / 1000;
        samples = new short[Math.min(rate * 4, (int) limit)];
      } else if (frame.sampleRate() != rate) {
        throw new RecognitionException(
            RecognitionException.Reason.BAD_AUDIO,
            "frame at " + frame.sampleRate() + " Hz in an utterance at " + rate + " Hz",
            null);
      }
      int n = frame.length();
      if (length + (long) n > limit) {
        throw new RecognitionException(
            RecognitionException.Reason.TOO_LONG,
            "utterance longer than " + max.toMillis() + " ms; not sent",
            null);
      }
      if (length + n > samples.length) {
        samples =
            Arrays.copyOf(
                samples, (int) Math.min(limit, Math.max(length + n, samples.length * 2L)));
      }
      short[] s = frame.samples();
      System.arraycopy(s, 0, samples, length, n);
      length += n;
    }

    PcmAudio audio() {
      return PcmAudio.of(Arrays.copyOf(samples, length), rate == 0 ? 8000 : rate);
    }
  }
}
