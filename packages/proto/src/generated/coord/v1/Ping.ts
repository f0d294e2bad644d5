// Original file: proto/coord/v1/coord.proto


export interface Ping {
}

export interface Ping__Output {
}
