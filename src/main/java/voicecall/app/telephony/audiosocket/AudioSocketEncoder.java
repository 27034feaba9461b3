package voicecall.app.telephony.audiosocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** {@link AudioSocketMessage}s to bytes. Stateless and sharable. */
@ChannelHandler.Sharable
public final class AudioSocketEncoder extends MessageToByteEncoder<AudioSocketMessage> {

  /** An encoder; one instance may serve every connection. */
  public AudioSocketEncoder() {
    super(AudioSocketMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, AudioSocketMessage msg, ByteBuf out) {
    if (msg instanceof AudioSocketMessage.Audio a) {
      header(out, AudioKinds.kindOf(a.sampleRate()), a.pcm());
    } else if (msg instanceof AudioSocketMessage.Hangup) {
      header(out, AudioSocketMessage.KIND_HANGUP, new byte[0]);
    } else if (msg instanceof AudioSocketMessage.Dtmf d) {
      header(out, AudioSocketMessage.KIND_DTMF, new byte[] {(byte) d.key()});
    } else if (msg instanceof AudioSocketMessage.ErrorReport e) {
      header(out, AudioSocketMessage.KIND_ERROR, e.code());
    } else if (msg instanceof AudioSocketMessage.Id i) {
      out.writeByte(AudioSocketMessage.KIND_ID).writeShort(16);
      out.writeLong(i.id().getMostSignificantBits()).writeLong(i.id().getLeastSignificantBits());
    }
  }

  private static void header(ByteBuf out, int kind, byte[] payload) {
    if (payload.length > 65535) {
      throw new IllegalArgumentException("AudioSocket payload of " + payload.length + " bytes");
    }
    out.writeByte(kind).writeShort(payload.length).writeBytes(payload);
  }
}
