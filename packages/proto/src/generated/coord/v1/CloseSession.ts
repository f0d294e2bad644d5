// Original file: proto/coord/v1/coord.proto


export interface CloseSession {
}

export interface CloseSession__Output {
}
