package voicecall.app.telephony.audiosocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes to {@link AudioSocketMessage}s. Frames may arrive split or merged in any way; audio of any
 * whole-sample length up to a limit is accepted; unknown kinds are skipped. A frame that breaks the
 * protocol (wrong length for its kind, odd audio, oversized audio, a DTMF byte that is no key)
 * raises a {@link CorruptedFrameException}, after which the decoder discards everything: the
 * connection is to be closed, not resynchronised.
 *
 * <p>Not sharable: it keeps per-connection state.
 */
public final class AudioSocketDecoder extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(AudioSocketDecoder.class);
  private static final int HEADER = 3;

  private final int maxAudioPayload;
  private boolean broken;

  /**
   * A decoder for one connection.
   *
   * @param maxAudioPayload the largest audio payload accepted, in bytes
   */
  public AudioSocketDecoder(int maxAudioPayload) {
    if (maxAudioPayload < 2 || maxAudioPayload > 65535) {
      throw new IllegalArgumentException("max audio payload must be 2..65535 bytes");
    }
    this.maxAudioPayload = maxAudioPayload;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (broken) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= HEADER) {
      int start = in.readerIndex();
      int kind = in.getUnsignedByte(start);
      int length = in.getUnsignedShort(start + 1);
      check(kind, length);
      if (in.readableBytes() < HEADER + length) {
        return;
      }
      in.skipBytes(HEADER);
      AudioSocketMessage message = read(kind, length, in);
      if (message != null) {
        out.add(message);
      }
    }
  }

  private void check(int kind, int length) {
    String problem = null;
    if (kind == AudioSocketMessage.KIND_ID && length != 16) {
      problem = "id message must carry 16 bytes, declares " + length;
    } else if (kind == AudioSocketMessage.KIND_DTMF && length != 1) {
      problem = "DTMF message must carry 1 byte, declares " + length;
    } else if (AudioKinds.rateOf(kind) > 0 && length % 2 != 0) {
      problem = "audio message declares " + length + " bytes, not whole 16-bit samples";
    } else if (AudioKinds.rateOf(kind) > 0 && length > maxAudioPayload) {
      problem = "audio message declares " + length + " bytes, limit is " + maxAudioPayload;
    }
    if (problem != null) {
      broken = true;
      throw new CorruptedFrameException(problem);
    }
  }

  private @Nullable AudioSocketMessage read(int kind, int length, ByteBuf in) {
    int rate = AudioKinds.rateOf(kind);
    if (rate > 0) {
      byte[] pcm = new byte[length];
      in.readBytes(pcm);
      return new AudioSocketMessage.Audio(rate, pcm);
    }
    switch (kind) {
      case AudioSocketMessage.KIND_ID -> {
        return new AudioSocketMessage.Id(new UUID(in.readLong(), in.readLong()));
      }
      case AudioSocketMessage.KIND_DTMF -> {
        char key = (char) in.readUnsignedByte();
        if ("0123456789*#ABCDabcd".indexOf(key) < 0) {
          broken = true;
          throw new CorruptedFrameException(
              "DTMF message carries byte 0x" + Integer.toHexString(key) + ", not a key");
        }
        return new AudioSocketMessage.Dtmf(Character.toUpperCase(key));
      }
      case AudioSocketMessage.KIND_HANGUP -> {
        in.skipBytes(length);
        return new AudioSocketMessage.Hangup();
      }
      case AudioSocketMessage.KIND_ERROR -> {
        byte[] code = new byte[length];
        in.readBytes(code);
        return new AudioSocketMessage.ErrorReport(code);
      }
      default -> {
        in.skipBytes(length);
        log.debug(
            "skipped AudioSocket message of unknown kind 0x{} ({} bytes)",
            Integer.toHexString(kind),
            length);
        return null;
      }
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (in.isReadable() && !broken) {
      log.warn(
          "connection {} closed in the middle of an AudioSocket frame ({} bytes left)",
          ctx.channel().remoteAddress(),
          in.readableBytes());
      in.skipBytes(in.readableBytes());
    }
  }
}
