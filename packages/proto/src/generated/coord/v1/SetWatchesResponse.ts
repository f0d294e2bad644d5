// Original file: proto/coord/v1/coord.proto


export interface SetWatchesResponse {
}

export interface SetWatchesResponse__Output {
}
