/**
 * Constants of the Kubernetes protobuf wire format (upstream
 * `apimachinery/pkg/runtime/serializer/protobuf`).
 */

/** The media type of protobuf bodies and responses. */
export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

/**
 * The 4-byte prefix of every enveloped message: `k8s` and the encoding style byte 0, which means
 * that a `runtime.Unknown` message follows.
 */
export const protobufMagic: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** How many bytes of a body an error message quotes, as upstream's `summarizeData`. */
export const summaryMaxBytes = 30;
