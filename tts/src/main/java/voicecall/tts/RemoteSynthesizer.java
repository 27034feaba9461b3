package voicecall.tts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * A remote OpenAI-compatible speech endpoint over the JDK's asynchronous HTTP client. Asks for a
 * WAV response, so the sample rate travels with the audio. Cancelling the {@code Mono} cancels the
 * request.
 */
final class RemoteSynthesizer implements Synthesizer {

  private static final int MAX_ERROR_BODY_CHARS = 200;

  private final RemoteSpeechConfig config;
  private final URI endpoint;
  private final HttpClient client;

  RemoteSynthesizer(RemoteSpeechConfig config) {
    this.config = config;
    String base = config.baseUrl().toString();
    this.endpoint =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/v1/audio/speech");
    this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  @Override
  public String name() {
    return "remote(" + endpoint.getHost() + ")";
  }

  @Override
  public boolean supports(Language language) {
    return true;
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    String voiceName = voice.isDefault() ? config.voice() : voice.name();
    String body =
        "{\"model\":"
            + json(config.model())
            + ",\"input\":"
            + json(text)
            + ",\"voice\":"
            + json(voiceName)
            + ",\"response_format\":\"wav\"}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "audio/wav")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    String apiKey = config.apiKey();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return Mono.fromFuture(
            () -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()))
        .map(this::audio)
        .onErrorMap(
            e -> !(e instanceof SynthesisException),
            e -> new SynthesisException(name() + " failed: " + e, e));
  }

  private PcmAudio audio(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      String detail = new String(response.body(), StandardCharsets.UTF_8);
      if (detail.length() > MAX_ERROR_BODY_CHARS) {
        detail = detail.substring(0, MAX_ERROR_BODY_CHARS) + "…";
      }
      throw new SynthesisException(
          name() + " answered HTTP " + response.statusCode() + ": " + detail.strip());
    }
    try {
      return Wav.decode(response.body());
    } catch (IllegalArgumentException e) {
      throw new SynthesisException(name() + " returned no usable audio: " + e.getMessage(), e);
    }
  }

  static String json(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
