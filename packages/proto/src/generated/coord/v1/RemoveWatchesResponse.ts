// Original file: proto/coord/v1/coord.proto


export interface RemoveWatchesResponse {
}

export interface RemoveWatchesResponse__Output {
}
