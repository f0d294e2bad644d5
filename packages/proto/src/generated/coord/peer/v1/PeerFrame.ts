// Original file: proto/coord/peer/v1/peer.proto


export interface PeerFrame {
  'from'?: (number);
  'to'?: (number);
  'ensemble'?: (string);
  'batch'?: (Buffer | Uint8Array | string);
  'features'?: (number);
}

export interface PeerFrame__Output {
  'from': (number);
  'to': (number);
  'ensemble': (string);
  'batch': (Buffer);
  'features': (number);
}
