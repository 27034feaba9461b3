package voicecall.app.telephony.ari;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of an ARI event the client acts on.
 *
 * @param type e.g. {@code StasisStart}, {@code ChannelDtmfReceived}, {@code StasisEnd}
 * @param channelId the channel the event is about, empty when none
 * @param language the channel's language, empty when unknown
 * @param digit the DTMF key of a {@code ChannelDtmfReceived}, empty otherwise
 */
record AriEvent(String type, String channelId, String language, String digit) {

  /** Parses one event; anything that is not a JSON object with a type is rejected. */
  static AriEvent parse(JsonMapper json, String text) {
    JsonNode node = json.readTree(text);
    String type = node.path("type").asString("");
    if (type.isEmpty()) {
      throw new IllegalArgumentException("ARI event without a type");
    }
    JsonNode channel = node.path("channel");
    return new AriEvent(
        type,
        channel.path("id").asString(""),
        channel.path("language").asString(""),
        node.path("digit").asString(""));
  }
}
