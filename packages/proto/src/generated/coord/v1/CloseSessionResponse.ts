// Original file: proto/coord/v1/coord.proto


export interface CloseSessionResponse {
}

export interface CloseSessionResponse__Output {
}
