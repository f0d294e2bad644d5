// Original file: proto/rm/v1/rm.proto


export interface GetLeaderRequest {
}

export interface GetLeaderRequest__Output {
}
