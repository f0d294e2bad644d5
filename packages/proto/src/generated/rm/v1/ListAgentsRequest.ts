// Original file: proto/rm/v1/rm.proto


export interface ListAgentsRequest {
}

export interface ListAgentsRequest__Output {
}
