// Original file: proto/coord/v1/coord.proto


export interface AddWatchResponse {
}

export interface AddWatchResponse__Output {
}
