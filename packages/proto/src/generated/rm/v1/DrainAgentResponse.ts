// Original file: proto/rm/v1/rm.proto


export interface DrainAgentResponse {
}

export interface DrainAgentResponse__Output {
}
