// Original file: proto/coord/v1/coord.proto


export interface DeleteResponse {
}

export interface DeleteResponse__Output {
}
