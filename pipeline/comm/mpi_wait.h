#pragma once
// MPI calls that wait without spinning. Open MPI's blocking calls busy-poll a core; a rank
// waiting seconds for rank 0 (scanning or merging task files) would steal that core from the
// rank doing the work. These poll with MPI_Test and sleep between polls (100 us growing to 5 ms).
#include <mpi.h>

#include <string>
#include <vector>

namespace riskstep {

void wait_patiently(MPI_Request& request);
void broadcast_patiently(void* data, int count, MPI_Datatype type, int root, MPI_Comm comm);
void barrier_patiently(MPI_Comm comm);
// Rank `root`'s text on every rank (length first, then the bytes).
void broadcast_text_patiently(std::string& text, int root, MPI_Comm comm);

// Bytes of any length from one rank to another (in pieces of 1 GiB: MPI counts are int).
void send_bytes_patiently(const std::string& bytes, int to, int tag, MPI_Comm comm);
std::string receive_bytes_patiently(int from, int tag, MPI_Comm comm);

// A list of strings as one byte string for the two above (each ended by a NUL; the strings hold
// none), and back.
std::string joined_lines(const std::vector<std::string>& lines);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace riskstep
