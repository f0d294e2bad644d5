// Original file: proto/coord/v1/coord.proto


export interface CheckResponse {
}

export interface CheckResponse__Output {
}
